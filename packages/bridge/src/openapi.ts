import { actionContracts } from '@baton/core';
import { z } from 'zod';

/**
 * The OpenAPI 3.1 document of the bridge, generated from the same zod contracts that validate the
 * requests (STYLE.md: schemas are the single source). Request bodies use the schemas' input side
 * (`io: 'input'`), responses their output side.
 */
export interface OpenApiOptions {
  /** Absolute server URL, when known (e.g. from the request). */
  serverUrl?: string;
  version?: string;
}

const errorBodySchema = {
  type: 'object',
  required: ['code', 'message'],
  properties: {
    code: { type: 'string', description: 'Stable error code, e.g. validation_failed, genesys_not_found, deadline_exceeded' },
    message: { type: 'string', description: 'What went wrong, written to be read inside the Genesys data action error' },
    issues: {
      type: 'array',
      items: {
        type: 'object',
        required: ['field', 'problem'],
        properties: { field: { type: 'string' }, problem: { type: 'string' } },
      },
    },
    contextId: { type: 'string', description: 'Genesys contextId of the failed Platform API call' },
  },
} as const;

const errorResponse = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const generated = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Record<string, unknown>;
  // OpenAPI 3.1 schema objects are 2020-12 already: the per-schema $schema is noise.
  delete generated.$schema;
  return generated;
}

export function buildOpenApiDocument(options: OpenApiOptions = {}): Record<string, unknown> {
  const paths: Record<string, unknown> = {};
  const schemas: Record<string, unknown> = { Error: errorBodySchema };
  const security = [{ basicAuth: [] }, { apiKey: [] }, { oauth: [] }];

  for (const action of actionContracts) {
    const name = action.id.replace(/(^|-)([a-z])/g, (_m, _d: string, c: string) => c.toUpperCase());
    schemas[`${name}Input`] = jsonSchema(action.input, 'input');
    schemas[`${name}Output`] = jsonSchema(action.output, 'output');
    paths[action.path] = {
      post: {
        operationId: action.id.replace(/-([a-z])/g, (_m, c: string) => c.toUpperCase()),
        summary: action.title,
        description:
          `${action.description}\n\nInputs are flat scalars; numbers and booleans may also be sent as strings ("0.42", "true") ` +
          'and "" counts as absent, as Genesys request templates produce them. Unknown fields are ignored.',
        security,
        'x-baton-writes': action.writes,
        requestBody: {
          required: true,
          content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}Input` } } },
        },
        responses: {
          '200': {
            description: 'The step ran. Business outcomes (the bot keeps it, no transcript, already handed off) are 200 with `status` and `message`.',
            content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}Output` } } },
          },
          '400': errorResponse('A field is missing or has the wrong type or range: `issues` names each one.'),
          '401': errorResponse('Missing, wrong or expired credentials.'),
          '404': errorResponse('A Genesys object (conversation, queue, participant) was not found.'),
          '413': errorResponse('Body larger than BATON_MAX_BODY_BYTES.'),
          '415': errorResponse('Body is not JSON.'),
          '502': errorResponse('Genesys refused or failed the call (permissions, bad response); `contextId` identifies it.'),
          '503': errorResponse('The Genesys request budget (429s, rate pacing) ran out before the deadline.'),
          '504': errorResponse('The deadline (BATON_DEADLINE_MS or budgetMs) ran out; work already started is recorded.'),
        },
      },
    };
  }

  paths['/oauth/token'] = {
    post: {
      operationId: 'issueToken',
      summary: 'Issue a bearer token (client credentials grant)',
      description:
        "For the User Defined (OAuth) credential type: the integration's custom auth action posts `grant_type=client_credentials` with the client id and secret in HTTP Basic.",
      security: [{ clientBasic: [] }],
      requestBody: {
        required: true,
        content: {
          'application/x-www-form-urlencoded': {
            schema: {
              type: 'object',
              required: ['grant_type'],
              properties: { grant_type: { type: 'string', enum: ['client_credentials'] } },
            },
          },
        },
      },
      responses: {
        '200': {
          description: 'A token',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['access_token', 'token_type', 'expires_in'],
                properties: {
                  access_token: { type: 'string' },
                  token_type: { type: 'string', enum: ['Bearer'] },
                  expires_in: { type: 'integer', description: 'Seconds' },
                },
              },
            },
          },
        },
        '400': { description: 'unsupported_grant_type or invalid_request (RFC 6749 §5.2)' },
        '401': { description: 'invalid_client' },
      },
    },
  };
  paths['/healthz'] = { get: { operationId: 'healthz', summary: 'The process is up', security: [], responses: { '200': { description: 'Up' } } } };
  paths['/readyz'] = {
    get: {
      operationId: 'readyz',
      summary: 'A Genesys token can be had (ready to serve)',
      security: [],
      responses: { '200': { description: 'Ready' }, '503': { description: 'Not ready (Genesys login failing, or shutting down)' } },
    },
  };
  paths['/metrics'] = {
    get: { operationId: 'metrics', summary: 'Prometheus metrics', security, responses: { '200': { description: 'Prometheus text format' } } },
  };
  paths['/openapi.json'] = {
    get: { operationId: 'openapi', summary: 'This document', security, responses: { '200': { description: 'OpenAPI 3.1' } } },
  };

  return {
    openapi: '3.1.0',
    info: {
      title: 'Baton bridge',
      version: options.version ?? '0.1.0',
      description:
        'Bot-to-agent handoff steps for Genesys Cloud Architect, called through Web Services Data Actions. Non-2xx answers take the Failure path with the body embedded as text.',
    },
    ...(options.serverUrl && { servers: [{ url: options.serverUrl }] }),
    paths,
    components: {
      schemas,
      securitySchemes: {
        basicAuth: { type: 'http', scheme: 'basic', description: 'Basic Auth credential type' },
        apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key', description: 'User Defined credential type' },
        oauth: {
          type: 'oauth2',
          description: 'User Defined (OAuth) credential type',
          flows: { clientCredentials: { tokenUrl: '/oauth/token', scopes: {} } },
        },
        clientBasic: { type: 'http', scheme: 'basic', description: 'OAuth client id and secret' },
      },
    },
  };
}
