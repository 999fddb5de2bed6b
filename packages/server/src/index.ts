export { MAX_BODY_BYTES } from './http/body';
export type { ServiceContext } from './http/context';
export { createHandler, type FetchHandler, type HandlerOptions } from './http/handler';
export type { RequestEnd, RequestObserver, RequestStart } from './http/observer';
export { MAX_WAIT_MS } from './http/results';
export { LeStatsLogError, type LogErrorCode } from './log/log-error';
export type { LogOptions } from './log/logger';
export { type LeStatsServer, type ServeOptions, serve } from './serve';
