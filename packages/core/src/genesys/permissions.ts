import { API_ROUTES, ROUTES, type ApiRoute } from './routes.js';

/**
 * The permissions each call needs, as the SDK docs list them (see `RouteSpec.permissions` in
 * routes.ts, the one table; docs/genesys-facts.md#permissions). Sources: MyPureCloud/platform-client-sdk-javascript v259.0.0
 * `build/docs/{Conversations,Routing,Analytics}Api.md`; the send-message permissions from
 * MyPureCloud/platform-client-sdk-cli, generated from the same swagger.
 */
export const ROUTE_PERMISSIONS: Readonly<Record<ApiRoute, readonly string[]>> = Object.fromEntries(
  API_ROUTES.map((route) => [route, ROUTES[route].permissions]),
) as Record<ApiRoute, readonly string[]>;

/** The permissions a call needs (one of them suffices for `any` routes, which all but one are). */
export function permissionsFor(route: ApiRoute): readonly string[] {
  return ROUTES[route].permissions;
}

/** Every permission any route lists: what a role for Baton's OAuth client is made from. */
export function allRoutePermissions(): readonly string[] {
  return [...new Set(API_ROUTES.flatMap((route) => ROUTES[route].permissions))];
}
