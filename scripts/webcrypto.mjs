// Oxigraph's WebAssembly build draws its random numbers from the Web Crypto
// API (globalThis.crypto).  Node.js 20 has it; Debian 12's Node.js 18 keeps
// it behind a flag, so a fresh machine's `npm ci` gives an Oxigraph that
// panics ("Web Crypto API is unavailable").  Import this module before
// 'oxigraph': modules are evaluated in import order.
import { webcrypto } from 'node:crypto';

if (!globalThis.crypto) globalThis.crypto = webcrypto;
