import { actionContracts, type ActionContract } from '@baton/core';
import { DataActionsError } from '../errors.js';
import { authModes, type AuthMode, type DataActionDefinition } from './action-definition.js';
import { authModeConfigs, oauthTokenPath } from './auth-config.js';
import { normaliseBaseUrl } from './base-url.js';
import {
  assertInputsAcceptText,
  draft04SchemaUri,
  toInputSchema,
  toOutputSchema,
} from './contract-schema.js';
import { buildRequestTemplate } from './request-template.js';
import { buildResponseConfig } from './translation.js';

export interface GenerateActionsOptions {
  /** The bridge's public base URL (https). */
  baseUrl: string;
  auth: AuthMode;
  /** Written as `config.timeoutSeconds` (1–60). Unset: Genesys's default of 60 s applies. */
  timeoutSeconds?: number;
  /** Accept an http base URL (local testing only). */
  allowInsecure?: boolean;
  /** The contracts to generate from; the default is core's `actionContracts` (the single source). */
  contracts?: readonly ActionContract[];
}

export interface GeneratedAction {
  /** The contract's id, e.g. `handoff`. */
  id: string;
  /** Path on the bridge, e.g. `/v1/actions/handoff`. */
  path: string;
  /** `baton-<id>.custom.json`. */
  fileName: string;
  definition: DataActionDefinition;
}

export interface GeneratedActions {
  baseUrl: string;
  auth: AuthMode;
  actions: GeneratedAction[];
  /** Only for `auth: 'oauth'` (User Defined (OAuth)): the integration's custom auth action. */
  customAuth?: { fileName: string; definition: DataActionDefinition };
}

/** File names: stable and documented in the README. The auth mode is not in them: export one mode per directory. */
export function actionFileName(id: string): string {
  return `baton-${id}.custom.json`;
}
export const customAuthFileName = 'baton-oauth.customAuth.json';

const jsonHeaders = {
  // Accept must be a JSON media type when set, or creating the action fails with 400
  // INVALID_SCHEMA (docs/genesys-facts.md#data-action-requests). Content-Type is set explicitly, as every blueprint does:
  // whether Genesys adds one by default is UNCONFIRMED.
  'Content-Type': 'application/json',
  Accept: 'application/json',
};

function assertTimeout(timeoutSeconds: number | undefined): void {
  if (timeoutSeconds === undefined) return;
  if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1 || timeoutSeconds > 60) {
    throw new DataActionsError(
      'options_invalid',
      `timeoutSeconds must be an integer 1–60 (SDK ActionConfig.md), got ${timeoutSeconds}`,
    );
  }
}

/** One data action for one bridge endpoint. */
export function generateAction(
  contract: ActionContract,
  options: { baseUrl: string; auth: AuthMode; timeoutSeconds?: number },
): DataActionDefinition {
  const inputSchema = toInputSchema(contract);
  assertInputsAcceptText(contract, inputSchema);
  const successSchema = toOutputSchema(contract);
  return {
    name: contract.title,
    integrationType: 'custom-rest-actions',
    actionType: 'custom',
    secure: false,
    config: {
      request: {
        requestUrlTemplate: `${options.baseUrl}${contract.path}`,
        requestType: 'POST',
        headers: { ...jsonHeaders, ...authModeConfigs[options.auth].actionHeaders },
        requestTemplate: buildRequestTemplate(inputSchema),
      },
      response: buildResponseConfig(successSchema),
      ...(options.timeoutSeconds !== undefined ? { timeoutSeconds: options.timeoutSeconds } : {}),
    },
    contract: { input: { inputSchema }, output: { successSchema } },
  };
}

/**
 * The contracts of a custom auth action: fixed by Genesys (auto-created); the ones an exported
 * `.customAuth.json` carries (zoom blueprint). The CX as Code resource has no contract attributes,
 * so `readTerraformActions` uses these too.
 */
export const customAuthContract: DataActionDefinition['contract'] = {
  input: {
    inputSchema: {
      $schema: draft04SchemaUri,
      title: 'Auth Input',
      description: 'No Input Value',
      type: 'object',
      properties: {},
    },
  },
  output: {
    successSchema: {
      $schema: draft04SchemaUri,
      type: 'object',
      properties: {},
      additionalProperties: true,
    },
  },
};

/**
 * The custom auth action of a User Defined (OAuth) integration: a client-credentials token
 * request with HTTP Basic base64(clientId:clientSecret), the form of the TF custom-auth example,
 * and the result passed through as `$authResponse` (`${rawResult}`). Its contracts are fixed by
 * Genesys (auto-created, auto-published: TF guide custom_auth_action.md); we write the ones an
 * exported `.customAuth.json` carries (zoom blueprint). No `timeoutSeconds`: invalid on custom auth
 * actions (SDK ActionConfig.md).
 */
export function generateCustomAuthAction(options: { baseUrl: string }): DataActionDefinition {
  return {
    name: 'Baton - Custom Auth',
    integrationType: 'custom-rest-actions',
    actionType: 'customAuth',
    secure: false,
    config: {
      request: {
        requestUrlTemplate: `${options.baseUrl}${oauthTokenPath}`,
        requestType: 'POST',
        headers: {
          Authorization: 'Basic $encoding.base64("${credentials.clientId}:${credentials.clientSecret}")',
          'Content-Type': 'application/x-www-form-urlencoded',
          Accept: 'application/json',
        },
        requestTemplate: 'grant_type=client_credentials',
      },
      response: { translationMap: {}, translationMapDefaults: {}, successTemplate: '${rawResult}' },
    },
    contract: customAuthContract,
  };
}

/** Every bridge endpoint as a data action for one auth mode (plus the custom auth action for oauth). */
export function generateActions(options: GenerateActionsOptions): GeneratedActions {
  if (!authModes.includes(options.auth)) {
    throw new DataActionsError(
      'options_invalid',
      `auth must be one of ${authModes.join(', ')}, got ${String(options.auth)}`,
    );
  }
  assertTimeout(options.timeoutSeconds);
  const baseUrl = normaliseBaseUrl(options.baseUrl, { allowInsecure: options.allowInsecure });
  const contracts = options.contracts ?? actionContracts;
  const actions = contracts.map((contract) => ({
    id: contract.id,
    path: contract.path,
    fileName: actionFileName(contract.id),
    definition: generateAction(contract, {
      baseUrl,
      auth: options.auth,
      timeoutSeconds: options.timeoutSeconds,
    }),
  }));
  return {
    baseUrl,
    auth: options.auth,
    actions,
    ...(options.auth === 'oauth'
      ? { customAuth: { fileName: customAuthFileName, definition: generateCustomAuthAction({ baseUrl }) } }
      : {}),
  };
}
