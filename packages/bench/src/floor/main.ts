/** Process entry of the floor: started by the bench with FLOOR_CONFIG, reports its URL over IPC. */
import type { AddressInfo } from 'node:net';
import { createFloorServer, type FloorOptions } from './floor.js';

const server = createFloorServer(JSON.parse(process.env.FLOOR_CONFIG ?? '{}') as FloorOptions);
server.listen(0, '127.0.0.1', () => {
  const { port } = server.address() as AddressInfo;
  process.send?.({ type: 'ready', url: `http://127.0.0.1:${port}` });
});
process.once('SIGTERM', () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
});
