/** Process entry of the baseline: started by the bench with BASELINE_CONFIG, reports its URL over IPC. */
import type { AddressInfo } from 'node:net';
import { createBaselineApp } from './app.js';

const config = JSON.parse(process.env.BASELINE_CONFIG ?? '{}') as { genesysUrl: string; clientId: string; clientSecret: string; apiKey: string };
const app = createBaselineApp(config);
const server = app.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.send?.({ type: 'ready', url: `http://127.0.0.1:${port}` });
});
process.once('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
