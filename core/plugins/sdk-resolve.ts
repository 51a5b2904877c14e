// Published plugins import the SDK by name: `import { definePlugin } from '@bazaar/sdk'`. The
// application itself is not in node_modules, so a module resolve hook points that name at this
// core's core/public module: plugins share the host's classes (errors, models), never a copy.
import { register } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const SDK_SPECIFIER = '@bazaar/sdk';
let registered = false;

export function registerSdkSpecifier(): void {
  if (registered) return;
  registered = true;
  const ext = path.extname(fileURLToPath(import.meta.url));
  const targets = {
    [SDK_SPECIFIER]: new URL(`../public${ext}`, import.meta.url).href,
    [`${SDK_SPECIFIER}/testing`]: new URL(`./testkit${ext}`, import.meta.url).href,
  };
  const hook = `const targets = ${JSON.stringify(targets)};
export async function resolve(specifier, context, next) {
  const target = targets[specifier];
  return target ? next(target, context) : next(specifier, context);
}`;
  register(`data:text/javascript,${encodeURIComponent(hook)}`);
}
