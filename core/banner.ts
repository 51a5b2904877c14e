// What `bazaar start` prints once it listens. README.md shows the same lines for the default
// port (test/docs.test.ts compares them), so the sample never drifts from the program.

/** The demo store's sign-ins (tenants/demo-seed.ts's DEMO; passed in: core/ does not import tenants/). */
export interface DemoSignIns {
  slug: string;
  owner: { email: string; password: string };
  admin: { email: string; password: string };
}

export function bootBanner(base: string, port: number, DEMO: DemoSignIns): string[] {
  return [
    `  store API   ${base}/store/v1/products   (send X-Tenant: ${DEMO.slug}, or use http://${DEMO.slug}.localhost:${port}/store/v1/products)`,
    `  admin API   ${base}/admin/v1            (sign in: POST /admin/v1/auth/login {"tenant":"${DEMO.slug}","email":"${DEMO.owner.email}","password":"${DEMO.owner.password}"})`,
    `  platform    ${base}/platform/v1         (sign in: ${DEMO.admin.email} / ${DEMO.admin.password})`,
    `  console     ${base}/admin/            (store ${DEMO.slug}: ${DEMO.owner.email} / ${DEMO.owner.password}; platform: ${DEMO.admin.email} / ${DEMO.admin.password})`,
    `  API docs    ${base}/docs   (${base}/openapi.json)`,
    `  health      ${base}/healthz  ${base}/readyz  ${base}/metrics (Authorization: Bearer $METRICS_TOKEN)`,
  ];
}
