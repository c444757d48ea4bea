/**
 * The floor the relay's command hop is measured against (issue 16): a bare socket.io server
 * that receives a `command`, rebroadcasts it to the room with `to(room).emit`, and acks. Run
 * as its own process by bench/hop.ts, as the relay is, so both hops cross the same boundaries.
 */
import { createServer } from 'node:http';
import { Server } from 'socket.io';

const port = Number(process.env.PORT);
const http = createServer();
const io = new Server(http, { transports: ['websocket'] });
io.on('connection', (socket) => {
  const room = String(socket.handshake.auth?.room ?? 'r');
  void socket.join(room);
  socket.on('command', (raw: unknown, ack: (r: unknown) => void) => {
    io.to(room).emit('room.patch', raw);
    if (typeof ack === 'function') ack({ ok: true });
  });
});
http.listen(port, '127.0.0.1', () => process.send?.('ready'));
