/**
 * A Genesys Cloud data action as the admin UI exports it (`*.custom.json`, `*.customAuth.json`).
 *
 * Field set from exported files (docs/genesys-facts.md#data-action-export-format: blog and GenesysCloudBlueprints exports) and
 * the SDK's ActionConfig/RequestConfig/ResponseConfig (same section). An export carries no `id`,
 * `category`, `integrationId` or `version`: the import screen attaches it to an integration.
 */
export type RequestType = 'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';

/** A JSON Schema (draft-04) object, kept loose: contracts are data, checked by ajv and our rules. */
export type JsonSchema = Record<string, unknown>;

export interface DataActionRequestConfig {
  /** Velocity template. */
  requestUrlTemplate: string;
  requestType: RequestType;
  /** Header name → Velocity template. */
  headers: Record<string, string>;
  /** Velocity template of the body; Genesys's default is `${input.rawRequest}`. */
  requestTemplate: string;
}

export interface DataActionResponseConfig {
  /** Variable name → JSONPath into the response body. */
  translationMap: Record<string, string>;
  /** Variable name → JSON literal used when the path fails to resolve (so strings carry quotes). */
  translationMapDefaults: Record<string, string>;
  /** Velocity template of the result; Genesys's default is `${rawResult}`. */
  successTemplate: string;
}

export interface DataActionDefinition {
  name: string;
  integrationType: 'custom-rest-actions';
  actionType: 'custom' | 'customAuth';
  secure: boolean;
  config: {
    request: DataActionRequestConfig;
    response: DataActionResponseConfig;
    /** 1–60 s, Genesys default 60 (SDK ActionConfig.md). Invalid on custom auth actions. */
    timeoutSeconds?: number;
  };
  contract: { input: { inputSchema: JsonSchema }; output: { successSchema: JsonSchema } };
}

/**
 * Credentials of a Web Services Data Actions integration (docs/genesys-facts.md#data-action-credentials):
 * Basic Auth (user name + optional password; the integration adds the Authorization header),
 * User Defined (free fields, used as `${credentials.<field>}`), and User Defined (OAuth) (free
 * fields, plus a custom auth action whose result is `$authResponse`).
 */
export type DataActionCredentials =
  | { type: 'basic'; userName: string; password: string }
  | { type: 'userDefined'; fields: Record<string, string> }
  | { type: 'userDefinedOAuth'; fields: Record<string, string> };

/** How the generated actions authenticate to the bridge. */
export type AuthMode = 'basic' | 'apikey' | 'oauth';

export const authModes: readonly AuthMode[] = ['basic', 'apikey', 'oauth'];
