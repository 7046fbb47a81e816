/**
 * @baton/data-actions: Genesys data-action definitions generated from core's contracts (JSON
 * exports and CX as Code), and a local runtime that runs a definition as Genesys does.
 */
export { DataActionsError, type DataActionsErrorCode } from './errors.js';

export {
  authModes,
  type AuthMode,
  type DataActionCredentials,
  type DataActionDefinition,
  type DataActionRequestConfig,
  type DataActionResponseConfig,
  type JsonSchema,
  type RequestType,
} from './definitions/action-definition.js';
export { authModeConfigs, oauthTokenPath, type AuthModeConfig } from './definitions/auth-config.js';
export { normaliseBaseUrl } from './definitions/base-url.js';
export {
  assertInputsAcceptText,
  draft04SchemaUri,
  inputNamePattern,
  reservedInputNames,
  reservedOutputNames,
  toInputSchema,
  toOutputSchema,
} from './definitions/contract-schema.js';
export { dataActionDefinitionSchema, parseDataActionDefinition } from './definitions/definition-schema.js';
export {
  actionFileName,
  customAuthContract,
  customAuthFileName,
  generateAction,
  generateActions,
  generateCustomAuthAction,
  type GenerateActionsOptions,
  type GeneratedAction,
  type GeneratedActions,
} from './definitions/generate.js';
export { buildRequestTemplate } from './definitions/request-template.js';
export { buildResponseConfig, jsonPathToKey } from './definitions/translation.js';
export {
  actionCategory,
  actionResourceName,
  baseUrlVariable,
  hclString,
  integrationNameVariable,
  renderTerraform,
  type RenderTerraformOptions,
} from './definitions/terraform.js';
export {
  readTerraformActions,
  type ReadTerraformActionsOptions,
  type TerraformActions,
} from './definitions/terraform-read.js';
export { parseHcl, type HclBlock, type HclCall, type HclRef, type HclVariables } from './definitions/hcl.js';
export { archyFlowFileName, renderArchyHandoffFlow, slotsExpression, type RenderArchyFlowOptions } from './definitions/archy.js';
export {
  exportActions,
  terraformFileName,
  type ExportActionsOptions,
  type ExportActionsResult,
  type ExportFormat,
} from './definitions/export.js';

export { flattenOutput } from './runtime/flatten.js';
export { redactedText } from './runtime/redact.js';
export { renderTemplate, TemplateError } from './runtime/render.js';
export {
  coerceInputText,
  credentialsFromFields,
  parseKeyValues,
  runActionFile,
  type RunActionFileOptions,
} from './runtime/run-action-file.js';
export {
  defaultTimeoutSeconds,
  runDataAction,
  type RunDataActionOptions,
} from './runtime/run-action.js';
export { formatStepTable } from './runtime/step-table.js';
export {
  operationNames,
  type ArchitectOutcome,
  type ErrorBody,
  type ErrorDetail,
  type OperationName,
  type TestExecutionOperationResult,
  type TestExecutionResult,
} from './runtime/test-execution-result.js';
export { applyTranslationMap, isIndefinitePath, TranslationError } from './runtime/translate.js';
export { createVelocityTools, type VelocityTools } from './runtime/velocity-tools.js';
