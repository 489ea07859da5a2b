/**
 * The one door to @peculiar/x509. The library resolves its algorithms through tsyringe, which
 * needs the Reflect polyfill loaded before the library's own module body runs; importing it
 * first here guarantees that order for every PKI file. The library also falls back to a
 * process-wide provider in helpers that take no crypto argument, so Node's WebCrypto is set
 * once (idempotent: the same object every time) and also passed explicitly where accepted.
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { webcrypto as nodeWebcrypto } from 'node:crypto';

export const webcrypto = nodeWebcrypto as unknown as Crypto;

x509.cryptoProvider.set(webcrypto);

export { x509 };
