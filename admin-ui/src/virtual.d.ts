// Modules the build makes (../console-plugins.ts): plugins' console modules, and per plugin a
// lazily loaded module of precompiled validators for its settings schema.
declare module 'virtual:bazaar-console-plugins' {
  const plugins: import('./plugin-api').ConsolePlugin[];
  export default plugins;
}
declare module 'virtual:bazaar-settings-validators' {
  const validators: Record<string, () => Promise<{ default: Record<string, unknown> }>>;
  export default validators;
}
