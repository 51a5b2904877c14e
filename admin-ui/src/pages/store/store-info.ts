import { useQuery } from '@tanstack/react-query';
import { storeApi, ApiError } from '../../api';
import { useSession } from '../../layout/Shell';

export interface StoreInfo {
  id?: string;
  slug: string;
  name: string;
  status?: string;
  defaultLocale: string;
  defaultCurrency: string;
  currencies: string[];
  taxMode?: 'inclusive' | 'exclusive';
  taxRateBp?: number;
}

/** The store's currencies and languages: from the Admin API, or the public store document for roles without store:read. */
export function useStoreInfo() {
  const session = useSession('store');
  return useQuery({
    queryKey: ['store', session?.tenant, 'store-info'],
    queryFn: async () => {
      try {
        return await storeApi<StoreInfo>('GET', '/store');
      } catch (err) {
        if (!(err instanceof ApiError) || err.status !== 403) throw err;
        const res = await fetch('/store/v1/store', { headers: { 'x-tenant': session?.tenant ?? '' } });
        if (!res.ok) throw err;
        return (await res.json()) as StoreInfo;
      }
    },
  });
}
