// Stands in for '@rjsf/validator-ajv8' (the ajv-compiling validator) in the console's bundle.
// Only @rjsf/core's test helper imports it; the console validates settings forms with
// validators compiled at build time (see pages/store/PluginSettings.tsx), so the full ajv and
// its code generation (which needs eval) stay out of the browser.
const noCompiling = {
  validateFormData: () => ({ errors: [], errorSchema: {} }),
  isValid: () => true,
  rawValidation: () => ({ errors: undefined, validationError: undefined }),
};
export default noCompiling;
export const customizeValidator = () => noCompiling;
