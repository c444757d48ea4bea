/**
 * The relay's socket.io packet encoder, JSON only. LiveShelf's protocol carries no binary
 * (no Buffer, ArrayBuffer or Blob in shared/protocol.ts), yet socket.io-parser walks every
 * outgoing packet looking for one (hasBinary) before it encodes it — the whole room state of
 * 500 products on every full-state send — and formats a debug line. This encoder writes the
 * same text packet (socket.io-parser's own encodeAsString, so the wire format is exactly the
 * default one and every client reads it) without the walk. Incoming packets keep the default
 * decoder, which refuses what it cannot read as it always did. The pages' bundle does the same
 * on the client side (scripts/vite-websocket-only.ts).
 */
import { Decoder, Encoder, type Packet } from 'socket.io-parser';

/** socket.io-parser 4's text packet: type, namespace unless "/", ack id, JSON data (tests/unit/json-parser.test.ts holds it to the default encoder's output). */
class JsonEncoder extends Encoder {
  override encode(packet: Packet): string[] {
    let text = String(packet.type);
    if (packet.nsp && packet.nsp !== '/') text += packet.nsp + ',';
    if (packet.id != null) text += packet.id;
    if (packet.data != null) text += JSON.stringify(packet.data);
    return [text];
  }
}

export const jsonOnlyParser = { Encoder: JsonEncoder, Decoder };
