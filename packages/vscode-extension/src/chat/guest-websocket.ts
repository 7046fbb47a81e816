import { WebSocket as WsWebSocket } from 'ws';

/**
 * The WebSocket core's Guest API client uses in the extension host: Node's built-in one where it
 * exists (Node 22+), else the `ws` package's, whose event-target API (open / message with text data
 * / close / error, `once`) is the one the client uses. VS Code 1.100's extension host runs Node 20,
 * which has no global WebSocket.
 */
export function guestWebSocket(): typeof WebSocket {
  return (globalThis as { WebSocket?: typeof WebSocket }).WebSocket ?? (WsWebSocket as unknown as typeof WebSocket);
}
