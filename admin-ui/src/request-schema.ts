// The request body JSON Schema of an API route, from the API's /openapi.json (read once a session).
import { useQuery } from '@tanstack/react-query';

type OpenApi = { paths?: Record<string, Record<string, { requestBody?: { content?: Record<string, { schema?: Record<string, unknown> }> } }>> };

/** `path` as the route declares it under the API root, e.g. `/admin/v1/logistics/zones/{id}` or `.../:id`. */
export function useRequestSchema(method: string, path: string) {
  return useQuery({
    queryKey: ['openapi'],
    queryFn: async () => {
      const res = await fetch('/openapi.json', { headers: { accept: 'application/json' } });
      if (!res.ok) throw new Error(`openapi.json: ${res.status}`);
      return (await res.json()) as OpenApi;
    },
    staleTime: Infinity,
    select: (doc) => {
      const key = path.replace(/:(\w+)/g, '{$1}');
      return doc.paths?.[key]?.[method.toLowerCase()]?.requestBody?.content?.['application/json']?.schema ?? null;
    },
  });
}
