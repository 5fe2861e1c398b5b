// The sweep's names for the one quoting function (core/shell/quote.ts, = Python's shlex.quote/join).
export { shellQuote as shlexQuote, shellJoin as shlexJoin } from '../shell/quote';
