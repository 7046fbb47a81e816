import type { AuthMode } from './action-definition.js';

/**
 * Headers each auth mode adds to every generated action, and what the integration's credential
 * holds. One table, so the JSON and Terraform forms cannot disagree.
 *
 * - basic: the Basic Auth credential makes the *integration* send `Authorization: Basic …` with
 *   every request (docs/genesys-facts.md#data-action-credentials), so the action templates nothing.
 * - apikey: a User Defined credential with a field `apiKey`, used as `${credentials.apiKey}`
 *   (docs/genesys-facts.md#data-action-credentials).
 * - oauth: User Defined (OAuth): the custom auth action fetches a token and every action reads it
 *   from `$authResponse` (docs/genesys-facts.md#data-action-credentials); the bridge answers the token endpoint with
 *   `{access_token, token_type: "Bearer", expires_in}`, and the success template passes it
 *   through (`${rawResult}`), so the field is `authResponse.access_token`.
 */
export interface AuthModeConfig {
  /** Headers added to each action's request. */
  actionHeaders: Record<string, string>;
  /** CX as Code `credential_type_name`. */
  credentialTypeName: 'basicAuth' | 'userDefined' | 'userDefinedOAuth';
  /** Credential field name → Terraform variable suffix (`baton_<suffix>`), and whether it is a secret. */
  credentialFields: { field: string; variable: string; sensitive: boolean; description: string }[];
}

export const authModeConfigs: Record<AuthMode, AuthModeConfig> = {
  basic: {
    actionHeaders: {},
    credentialTypeName: 'basicAuth',
    credentialFields: [
      {
        field: 'userName',
        variable: 'baton_basic_username',
        sensitive: false,
        description: "User name of the bridge's Basic Auth",
      },
      {
        field: 'password',
        variable: 'baton_basic_password',
        sensitive: true,
        description: "Password of the bridge's Basic Auth",
      },
    ],
  },
  apikey: {
    actionHeaders: { 'X-API-Key': '${credentials.apiKey}' },
    // CX as Code examples show basicAuth, userDefinedOAuth and pureCloudOAuthClient; "userDefined"
    // for plain User Defined is presumed (UNCONFIRMED name, docs/genesys-facts.md#data-action-credentials).
    credentialTypeName: 'userDefined',
    credentialFields: [
      {
        field: 'apiKey',
        variable: 'baton_api_key',
        sensitive: true,
        description: "The bridge's API key (X-API-Key)",
      },
    ],
  },
  oauth: {
    actionHeaders: { Authorization: 'Bearer ${authResponse.access_token}' },
    credentialTypeName: 'userDefinedOAuth',
    credentialFields: [
      {
        field: 'clientId',
        variable: 'baton_oauth_client_id',
        sensitive: false,
        description: 'OAuth client id the bridge issues tokens to',
      },
      {
        field: 'clientSecret',
        variable: 'baton_oauth_client_secret',
        sensitive: true,
        description: 'OAuth client secret',
      },
    ],
  },
};

/** Path of the bridge's token endpoint, relative to the base URL. */
export const oauthTokenPath = '/oauth/token';
