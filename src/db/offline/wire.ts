// MongoDB wire protocol framing: OP_MSG (body and document-sequence sections, checksum,
// moreToCome), the legacy OP_QUERY handshake and its OP_REPLY answer.
import { BSON } from 'bson';
import { decodeOptions, type Doc } from './values.js';

export const OP_REPLY = 1;
export const OP_QUERY = 2004;
export const OP_MSG = 2013;
export const HEADER_BYTES = 16;
/** mongod's maxMessageSizeBytes: anything larger is refused before it is buffered. */
export const MAX_MESSAGE_BYTES = 48_000_000;
/**
 * mongod's BSONObjMaxInternalSize (16 MB + 16 KB): the largest command body it parses, and the
 * largest reply it builds. A larger one is refused with BSONObjectTooLarge (10334).
 */
export const MAX_INTERNAL_BSON_BYTES = 16 * 1024 * 1024 + 16 * 1024;

const CHECKSUM_PRESENT = 1 << 0;
export const MORE_TO_COME = 1 << 1;
const EXHAUST_ALLOWED = 1 << 16;
/** Bits 0–15 are "required": a flag there that we do not know must be refused. */
const KNOWN_REQUIRED_BITS = CHECKSUM_PRESENT | MORE_TO_COME;

export class ProtocolError extends Error {}

export interface Header {
  length: number;
  requestId: number;
  responseTo: number;
  opCode: number;
}

export type Request =
  | { kind: 'msg'; header: Header; flags: number; command: Doc; bodyBytes: number }
  | { kind: 'query'; header: Header; collection: string; command: Doc };

export function readHeader(buffer: Buffer): Header {
  return {
    length: buffer.readInt32LE(0),
    requestId: buffer.readInt32LE(4),
    responseTo: buffer.readInt32LE(8),
    opCode: buffer.readInt32LE(12),
  };
}

function readDocument(buffer: Buffer, offset: number, end: number): { doc: Doc; next: number } {
  if (offset + 5 > end) throw new ProtocolError('truncated BSON document');
  const size = buffer.readInt32LE(offset);
  if (size < 5 || offset + size > end)
    throw new ProtocolError(`BSON document size ${size} runs past the message`);
  const doc = BSON.deserialize(buffer.subarray(offset, offset + size), decodeOptions);
  return { doc, next: offset + size };
}

function readCString(buffer: Buffer, offset: number, end: number): { value: string; next: number } {
  const zero = buffer.indexOf(0, offset);
  if (zero < 0 || zero >= end) throw new ProtocolError('unterminated string');
  return { value: buffer.toString('utf8', offset, zero), next: zero + 1 };
}

/** Parses one complete message (header included). Throws ProtocolError on anything malformed. */
export function parseMessage(message: Buffer): Request {
  const header = readHeader(message);
  if (header.opCode === OP_MSG) return parseOpMsg(message, header);
  if (header.opCode === OP_QUERY) return parseOpQuery(message, header);
  throw new ProtocolError(`unsupported opcode ${header.opCode}`);
}

function parseOpMsg(message: Buffer, header: Header): Request {
  if (message.length < HEADER_BYTES + 5) throw new ProtocolError('OP_MSG too short');
  const flags = message.readUInt32LE(HEADER_BYTES);
  const unknownRequired = flags & 0xffff & ~KNOWN_REQUIRED_BITS;
  if (unknownRequired) throw new ProtocolError(`unknown required OP_MSG flag bits ${unknownRequired}`);
  const end = flags & CHECKSUM_PRESENT ? message.length - 4 : message.length;
  let offset = HEADER_BYTES + 4;
  let body: Doc | undefined;
  let bodyBytes = 0;
  const sequences: [string, Doc[]][] = [];
  while (offset < end) {
    const kind = message.readUInt8(offset);
    offset += 1;
    if (kind === 0) {
      if (body) throw new ProtocolError('OP_MSG has more than one body section');
      const read = readDocument(message, offset, end);
      body = read.doc;
      bodyBytes = read.next - offset;
      offset = read.next;
    } else if (kind === 1) {
      if (offset + 4 > end) throw new ProtocolError('truncated document sequence');
      const size = message.readInt32LE(offset);
      const sectionEnd = offset + size;
      if (size < 5 || sectionEnd > end) throw new ProtocolError('document sequence runs past the message');
      const identifier = readCString(message, offset + 4, sectionEnd);
      const docs: Doc[] = [];
      let cursor = identifier.next;
      while (cursor < sectionEnd) {
        const read = readDocument(message, cursor, sectionEnd);
        docs.push(read.doc);
        cursor = read.next;
      }
      sequences.push([identifier.value, docs]);
      offset = sectionEnd;
    } else {
      throw new ProtocolError(`unknown OP_MSG section kind ${kind}`);
    }
  }
  if (!body) throw new ProtocolError('OP_MSG without a body section');
  for (const [identifier, docs] of sequences) {
    if (identifier in body)
      throw new ProtocolError(`duplicate field '${identifier}' in body and document sequence`);
    body[identifier] = docs;
  }
  return { kind: 'msg', header, flags: flags & ~EXHAUST_ALLOWED, command: body, bodyBytes };
}

function parseOpQuery(message: Buffer, header: Header): Request {
  let offset = HEADER_BYTES + 4; // flags
  const collection = readCString(message, offset, message.length);
  offset = collection.next + 8; // numberToSkip, numberToReturn
  const { doc } = readDocument(message, offset, message.length);
  // Legacy clients may wrap the command as { $query: {...}, $readPreference: ... }.
  const command = doc.$query && typeof doc.$query === 'object' ? (doc.$query as Doc) : doc;
  return { kind: 'query', header, collection: collection.value, command };
}

function frame(opCode: number, responseTo: number, requestId: number, payload: Uint8Array[]): Buffer {
  const length = HEADER_BYTES + payload.reduce((sum, part) => sum + part.length, 0);
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeInt32LE(length, 0);
  header.writeInt32LE(requestId, 4);
  header.writeInt32LE(responseTo, 8);
  header.writeInt32LE(opCode, 12);
  return Buffer.concat([header, ...payload], length);
}

/** mongod's refusal of a document over 16 MB + 16 KB, naming its first element as mongod does. */
export function tooLargeReply(size: number, firstElement?: [string, unknown]): Doc {
  const first = firstElement ? ` First element: ${firstElement[0]}: ${JSON.stringify(firstElement[1])}` : '';
  return {
    ok: 0,
    errmsg: `BSONObj size: ${size} (0x${size.toString(16).toUpperCase()}) is invalid. Size must be between 0 and ${MAX_INTERNAL_BSON_BYTES}(16MB)${first}`,
    code: 10334,
    codeName: 'BSONObjectTooLarge',
  };
}

/**
 * A reply as BSON. One too large to send (an aggregation result over 16 MB, say) becomes
 * mongod's BSONObjectTooLarge error instead; `onRefused` hears about it (to close a cursor).
 */
export function serializeReply(reply: Doc, onRefused?: (reply: Doc) => void): Uint8Array {
  let bytes: Uint8Array | undefined;
  try {
    bytes = BSON.serialize(reply);
  } catch {
    bytes = undefined; // bson's buffer overflowed (or a value could not be written)
  }
  if (bytes && bytes.length <= MAX_INTERNAL_BSON_BYTES) return bytes;
  onRefused?.(reply);
  let size = bytes?.length ?? 0;
  try {
    size ||= BSON.calculateObjectSize(reply);
  } catch {
    size = 0;
  }
  if (size > MAX_INTERNAL_BSON_BYTES) return BSON.serialize(tooLargeReply(size));
  return BSON.serialize({
    ok: 0,
    errmsg: 'internal error in the offline lane: the reply could not be encoded as BSON',
    code: 1,
    codeName: 'InternalError',
  });
}

export function encodeOpMsg(
  reply: Doc,
  responseTo: number,
  requestId: number,
  onRefused?: (reply: Doc) => void,
): Buffer {
  const prefix = Buffer.alloc(5); // flagBits = 0, section kind 0
  return frame(OP_MSG, responseTo, requestId, [prefix, serializeReply(reply, onRefused)]);
}

export function encodeOpReply(reply: Doc, responseTo: number, requestId: number): Buffer {
  const prefix = Buffer.alloc(20);
  prefix.writeInt32LE(0, 0); // responseFlags
  prefix.writeBigInt64LE(0n, 4); // cursorID
  prefix.writeInt32LE(0, 12); // startingFrom
  prefix.writeInt32LE(1, 16); // numberReturned
  return frame(OP_REPLY, responseTo, requestId, [prefix, serializeReply(reply)]);
}
