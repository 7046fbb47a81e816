import { DataActionsError } from '../errors.js';
import type { DataActionDefinition } from './action-definition.js';
import { dataActionDefinitionSchema } from './definition-schema.js';
import { customAuthContract } from './generate.js';
import { parseHcl, type HclBlock, type HclCall } from './hcl.js';
import { baseUrlVariable } from './terraform.js';

export interface ReadTerraformActionsOptions {
  /** Substituted for `${var.baton_base_url}` (as given, not normalised). */
  baseUrl: string;
  /**
   * Values of other `${var.<name>}` interpolations. A variable not given here takes its declared
   * `default`; an interpolation of a variable with neither is an error.
   */
  variables?: Readonly<Record<string, string>>;
}

export interface TerraformActions {
  /** Each `genesyscloud_integration_action`, in file order, by resource name (`baton_<id>`). */
  actions: { resourceName: string; definition: DataActionDefinition }[];
  /** The `genesyscloud_integration_custom_auth_action` (oauth only). */
  customAuth?: DataActionDefinition;
}

function invalid(message: string): DataActionsError {
  return new DataActionsError('definition_invalid', `Terraform: ${message}`);
}

function one(blocks: HclBlock[], type: string, where: string): HclBlock {
  const found = blocks.filter((b) => b.type === type);
  if (found.length !== 1) throw invalid(`${where} needs exactly one ${type} block, found ${found.length}`);
  return found[0] as HclBlock;
}

function text(attributes: Record<string, unknown>, name: string, where: string): string {
  const value = attributes[name];
  if (typeof value !== 'string') throw invalid(`${where}: ${name} must be a string literal`);
  return value;
}

function stringMap(attributes: Record<string, unknown>, name: string, where: string): Record<string, string> {
  const value = attributes[name];
  if (typeof value !== 'object' || value === null || Array.isArray(value) || 'ref' in value || 'fn' in value)
    throw invalid(`${where}: ${name} must be a map`);
  for (const [k, v] of Object.entries(value))
    if (typeof v !== 'string') throw invalid(`${where}: ${name}.${k} must be a string literal`);
  return value as Record<string, string>;
}

function jsonencoded(attributes: Record<string, unknown>, name: string, where: string): Record<string, unknown> {
  const call = attributes[name] as Partial<HclCall> | undefined;
  const arg = call?.args?.[0];
  if (call?.fn !== 'jsonencode' || call.args?.length !== 1 || typeof arg !== 'object' || arg === null || Array.isArray(arg))
    throw invalid(`${where}: ${name} must be jsonencode({...})`);
  return arg as Record<string, unknown>;
}

function requestResponse(resource: HclBlock, where: string): DataActionDefinition['config'] {
  const request = one(resource.blocks, 'config_request', where).attributes;
  const response = one(resource.blocks, 'config_response', where).attributes;
  return {
    request: {
      requestUrlTemplate: text(request, 'request_url_template', where),
      requestType: text(request, 'request_type', where) as DataActionDefinition['config']['request']['requestType'],
      headers: stringMap(request, 'headers', where),
      requestTemplate: text(request, 'request_template', where),
    },
    response: {
      translationMap: stringMap(response, 'translation_map', where),
      translationMapDefaults: stringMap(response, 'translation_map_defaults', where),
      successTemplate: text(response, 'success_template', where),
    },
  };
}

/** Checks the assembled definition with the same schema `run-action` applies to a JSON file. */
function checked(definition: DataActionDefinition, where: string): DataActionDefinition {
  const parsed = dataActionDefinitionSchema.safeParse(definition);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw invalid(`${where} is not a data action definition: ${issues}`);
  }
  return parsed.data as DataActionDefinition;
}

/**
 * Reads the data actions back out of a `baton.tf` written by `renderTerraform`, as the definitions
 * Genesys would hold after `terraform apply`: each action's request/response blocks and contracts,
 * and the custom auth action (whose contracts Genesys fixes: `customAuthContract`). Strings are
 * read with Terraform's semantics (`$${` → `${`, `%%{` → `%{`), `${var.baton_base_url}` becomes
 * `options.baseUrl`, and anything the strict HCL subset parser (`parseHcl`) does not accept — an
 * unescaped Velocity reference, an unknown variable, a missing block or attribute — is a
 * `definition_invalid` error. This is how the tests run the Terraform form itself through the
 * runtime, not just compare it with the JSON form.
 */
export function readTerraformActions(hcl: string, options: ReadTerraformActionsOptions): TerraformActions {
  // First pass only to learn the declared defaults (each a plain literal); the second is strict.
  const defaults: Record<string, string> = {};
  for (const b of parseHcl(hcl, () => '')) {
    if (b.type === 'variable' && typeof b.attributes.default === 'string' && b.labels[0] !== undefined)
      defaults[b.labels[0]] = b.attributes.default;
  }
  const blocks = parseHcl(hcl, { ...defaults, ...options.variables, [baseUrlVariable]: options.baseUrl });

  const actions: TerraformActions['actions'] = [];
  const customAuth: DataActionDefinition[] = [];
  for (const resource of blocks) {
    if (resource.type !== 'resource') continue;
    const [kind, resourceName] = resource.labels;
    if (resource.labels.length !== 2 || resourceName === undefined)
      throw invalid(`resource ${JSON.stringify(resource.labels)} needs a type and a name`);
    const where = `${kind}.${resourceName}`;
    const a = resource.attributes;
    if (kind === 'genesyscloud_integration_action') {
      if (actions.some((x) => x.resourceName === resourceName)) throw invalid(`${where} is declared twice`);
      if (typeof a.secure !== 'boolean') throw invalid(`${where}: secure must be true or false`);
      const timeout = a.config_timeout_seconds;
      if (timeout !== undefined && typeof timeout !== 'number')
        throw invalid(`${where}: config_timeout_seconds must be a number`);
      const config = requestResponse(resource, where);
      const definition: DataActionDefinition = {
        name: text(a, 'name', where),
        integrationType: 'custom-rest-actions',
        actionType: 'custom',
        secure: a.secure,
        config: timeout === undefined ? config : { ...config, timeoutSeconds: timeout },
        contract: {
          input: { inputSchema: jsonencoded(a, 'contract_input', where) },
          output: { successSchema: jsonencoded(a, 'contract_output', where) },
        },
      };
      actions.push({ resourceName, definition: checked(definition, where) });
    } else if (kind === 'genesyscloud_integration_custom_auth_action') {
      if (a.config_timeout_seconds !== undefined)
        throw invalid(`${where}: config_timeout_seconds is invalid on a custom auth action`);
      const definition: DataActionDefinition = {
        name: text(a, 'name', where),
        integrationType: 'custom-rest-actions',
        actionType: 'customAuth',
        secure: false,
        config: requestResponse(resource, where),
        contract: customAuthContract,
      };
      customAuth.push(checked(definition, where));
    }
  }
  if (customAuth.length > 1) throw invalid(`${customAuth.length} custom auth actions; an integration has one`);
  return { actions, ...(customAuth[0] && { customAuth: customAuth[0] }) };
}
