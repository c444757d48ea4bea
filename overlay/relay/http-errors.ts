/**
 * The one mapping from anything an HTTP request can fail with to the documented error body
 * (README "The HTTP API": `{ ok: false, error: { code, status, … } }`): the API's own refusals
 * (HttpError), errors raised by fastify and its plugins (body parser, router, URL decoding,
 * @fastify/static and its `send`), requests the router never matched, and requests Node's
 * HTTP parser refused before fastify saw them (unknown method, headers too large, timeout).
 *
 * A framework error keeps its 4xx status and is logged at `info`: it is a client's mistake,
 * not the relay's. Only what is left is a 500, logged at `error`; it says "the change was not
 * applied" only for a write.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Role } from '../../shared/domain.js';
import { MAX_MESSAGE_BYTES, type ErrorBody, type ErrorCode } from '../../shared/protocol.js';
import { errorBody } from './answers.js';
import type { Logger, RelayHttp } from './deps.js';

/** A refusal the API decided on: answered as it is, not logged (it is an ordinary answer). */
export class HttpError extends Error {
  constructor(readonly body: ErrorBody) {
    super(body.message);
  }
}

/** The protocol's code for a 4xx status that has no code of its own (414, 431, 405…). */
const CODE_OF_STATUS: Readonly<Record<number, ErrorCode>> = {
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'too_large',
  414: 'too_large',
  429: 'rate_limited',
  431: 'too_large',
};

/** A path or URL quoted in a message: bounded, so an absurd URL is not echoed back whole. */
const quoted = (text: string) => JSON.stringify(text.length > 120 ? text.slice(0, 120) + '…' : text);
const pathOf = (url: string) => url.split('?')[0] ?? url;
/** The not-found text, as the router's and a static file's 404 both say it. */
const noRoute = (req: { method: string; url: string }) => `no route ${req.method} ${pathOf(req.url).slice(0, 200)}`;

/**
 * The sales are the host's and the shop's (the sales token): reading, recording or reporting
 * them refuses every other role with one answer, naming what it may not do.
 */
export function requireHostOrSales(role: Role, mayNot: string): void {
  if (role !== 'host' && role !== 'sales') throw new HttpError(errorBody('forbidden', `the ${role} token may not ${mayNot}: use the host or sales token`));
}

/** The body for a client's mistake the framework or a plugin raised, or undefined for a failure of the relay. */
export function frameworkRefusal(err: Partial<FastifyError>, req: { method: string; url: string }): ErrorBody | undefined {
  const { url } = req;
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return errorBody('too_large', `the body is larger than ${MAX_MESSAGE_BYTES} bytes`);
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return errorBody('invalid', 'send JSON with "Content-Type: application/json"', { field: '(body)' });
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return errorBody('invalid', 'the body is not as long as its Content-Length header says', { field: '(body)' });
    case 'FST_ERR_BAD_URL':
      return errorBody('invalid', `the path ${quoted(pathOf(url))} is not valid percent-encoding: a "%" must start an escape of UTF-8 such as %20`, { reason: 'bad_url' });
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return errorBody('too_large', `a part of the path ${quoted(pathOf(url))} is too long for any room or product id`, { status: 414, reason: 'uri_too_long' });
    case 'FST_STATIC_FORBIDDEN_PATH':
      // @fastify/static refuses what could reach outside the page's folder (a NUL, "..", "//", a path too long to check).
      return errorBody('forbidden', `${quoted(pathOf(url))} is not a file of the overlay page: open /overlay/?room=…&token=…`, { reason: 'forbidden_path' });
  }
  const status = err.statusCode;
  if (status === undefined || status < 400 || status > 499) return undefined;
  // Every other parse failure of the body (the JSON parser, proto poisoning, a broken stream).
  if (status === 400 && (err.code === undefined || err.code.startsWith('FST_ERR_CTP'))) {
    return errorBody('invalid', `the body is not valid JSON: ${err.message}`, { field: '(body)' });
  }
  if (status === 404) return errorBody('not_found', noRoute(req));
  const code = CODE_OF_STATUS[status] ?? 'invalid';
  return errorBody(code, err.message || STATUS_CODES[status] || 'the request was refused', { status, ...(err.code !== undefined && { reason: err.code.toLowerCase() }) });
}

/** What a request that failed inside the relay is told: a read changed nothing, a write was not applied. */
export function internalError(method: string): ErrorBody {
  const read = method === 'GET' || method === 'HEAD' || method === 'OPTIONS';
  return errorBody('internal', read ? 'the relay failed unexpectedly while answering; nothing was changed, try again' : 'the relay failed unexpectedly; the change was not applied');
}

function answer(err: Partial<FastifyError>, req: FastifyRequest, reply: FastifyReply, logger: Logger) {
  if (err instanceof HttpError) return reply.code(err.body.status).send({ ok: false, error: err.body });
  const refusal = frameworkRefusal(err, req);
  if (refusal) {
    logger.info({ code: err.code, status: refusal.status, method: req.method, url: pathOf(req.url).slice(0, 200) }, 'request refused');
    return reply.code(refusal.status).send({ ok: false, error: refusal });
  }
  logger.error({ err }, 'unexpected error');
  return reply.code(500).send({ ok: false, error: internalError(req.method) });
}

/** Fastify options that route its own early refusals (bad URL, over-long path part, parse errors) through the mapping. */
export function errorOptions(logger: Logger) {
  return {
    frameworkErrors: (err: FastifyError, req: FastifyRequest, reply: FastifyReply) => answer(err, req, reply, logger),
    clientErrorHandler: (err: ClientError, socket: Duplex) => refuseUnparsed(err, socket, logger),
  };
}

/** What Node's 'clientError' gives: the parser's code and the bytes it stopped at (a Buffer at run time). */
type ClientError = Error & { code?: string; rawPacket?: unknown };

/**
 * A request Node's parser refused (no route, no request object): the same body, written on the
 * socket, which is then closed. A reset connection has nobody left to answer.
 */
function refuseUnparsed(err: ClientError, socket: Duplex, logger: Logger): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return;
  const body =
    err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? errorBody('invalid', 'the request did not arrive in time: send it again', { status: 408, reason: 'request_timeout' })
      : err.code === 'HPE_HEADER_OVERFLOW'
        ? errorBody('too_large', 'the request line and headers are larger than this relay reads (16 KB)', { status: 431, reason: 'headers_too_large' })
        : errorBody('invalid', 'the request is not valid HTTP/1.1 (its method, request line or headers)', { reason: 'bad_request' });
  logger.debug({ code: err.code, status: body.status }, 'unparsable request refused');
  // As Node's own default: nothing more on a connection whose current response already began
  // (a body that broke off after the answer was sent), only the close.
  const current = (socket as Duplex & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (socket.writable && !current?.headersSent) {
    const text = JSON.stringify({ ok: false, error: body });
    // The answer to a HEAD has no body, or the client reads the body as a next response.
    const head = Buffer.isBuffer(err.rawPacket) && err.rawPacket.subarray(0, 5).toString('latin1') === 'HEAD ';
    socket.write(
      `HTTP/1.1 ${body.status} ${STATUS_CODES[body.status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${head ? '' : text}`,
    );
  }
  socket.destroy(err);
}

/** The error and not-found handlers of the whole app (plugins registered after it inherit them). */
export function registerErrorAnswers(app: RelayHttp, logger: Logger): void {
  app.setErrorHandler((err: FastifyError, req, reply) => answer(err, req, reply, logger));
  app.setNotFoundHandler((req, reply) => {
    const allow = allowedMethods(app, req);
    if (allow.length > 0) {
      // The path is a route, the method is not one of its (RFC 9110 §15.5.6: 405 with Allow).
      void reply.header('allow', allow.join(', '));
      return reply.code(405).send({ ok: false, error: errorBody('invalid', `${req.method} is not allowed on ${quoted(pathOf(req.url))}: use ${allow.join(' or ')}`, { status: 405, reason: 'method_not_allowed' }) });
    }
    return reply.code(404).send({ ok: false, error: errorBody('not_found', noRoute(req)) });
  });
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/**
 * The methods the path has routes for, when the request's own method has none; empty when it
 * has one (a handler that answered "not found" itself, as @fastify/static does for a missing
 * file) or the path is no route at all.
 */
function allowedMethods(app: RelayHttp, req: FastifyRequest): string[] {
  const url = pathOf(req.url);
  if (app.findRoute({ method: req.method as (typeof METHODS)[number], url })) return [];
  return METHODS.filter((method) => app.findRoute({ method, url }));
}
