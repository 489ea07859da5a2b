import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { EventWriter } from '../audit/writer.js';
import { loadConfig } from '../config.js';
import { systemClock } from '../kernel/clock.js';
import { systemIds } from '../kernel/ids.js';
import { silentLogger } from '../kernel/logger.js';
import { SecretBox } from '../kernel/secret-box.js';
import { acmService } from '../services/acm/service.js';
import { Paging } from '../services/acm/paging.js';
import { autoValidator } from '../services/acm/validator.js';
import { ValidationRecords } from '../services/acm/validation.js';
import { Authorities } from '../services/ca/authorities.js';
import { ensureDefaultAccount } from '../services/identity/admin.js';
import { StoreBusy, type Store } from '../storage/ports.js';
import { SqliteStore } from '../storage/sqlite/store.js';
import { createPipeline } from './handle.js';

/** "No event, no success": when the event cannot be written, the call fails and changes nothing. */
async function setup() {
  const real = new SqliteStore(':memory:');
  const box = new SecretBox(randomBytes(32));
  await ensureDefaultAccount({ store: real, box, clock: systemClock, ids: systemIds });
  let broken = false;
  let busy = false;
  const store: Store = {
    read: (fn) => real.read(fn),
    close: () => real.close(),
    appendEvents: async (e) => {
      if (broken) throw new Error('disk full');
      return real.appendEvents(e);
    },
    write: (fn) =>
      busy ? Promise.reject(new StoreBusy(7)) : real.write((tx) =>
        fn({ ...tx, events: { ...tx.events, put: async (e) => (broken ? Promise.reject(new Error('disk full')) : tx.events.put(e)) } }),
      ),
  };
  const authorities = new Authorities({ store, box, clock: systemClock, ids: systemIds, publicUrl: 'http://127.0.0.1:1' });
  const acm = acmService({
    store, clock: systemClock, ids: systemIds, box, config: loadConfig({}), logger: silentLogger, authorities,
    validation: new ValidationRecords(randomBytes(32)), validator: autoValidator(5), paging: new Paging(randomBytes(32)), wake: () => {},
  });
  const handle = createPipeline({ clock: systemClock, ids: systemIds, store, box, logger: silentLogger, events: new EventWriter(store), eventProfile: 'current', services: [acm] });
  const signer = new SignatureV4({ service: 'acm', region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, sha256: Hash.bind(null, 'sha256') });
  const call = async (op: string, input: object) => {
    const body = JSON.stringify(input);
    const signed = await signer.sign(new HttpRequest({ method: 'POST', protocol: 'http:', hostname: 'localhost', path: '/', headers: { host: 'localhost', 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `CertificateManager.${op}` }, body }));
    const res = await handle({ method: 'POST', path: '/', query: '', headers: signed.headers, body: Buffer.from(body), sourceIp: '127.0.0.1', tls: false });
    return { status: res.status, body: JSON.parse(res.body) };
  };
  const certificates = () => real.read((tx) => tx.certificates.list('000000000000', 'us-east-1'));
  const events = () => real.read((tx) => tx.events.after(0, 1000));
  return { call, certificates, events, breakIt: () => (broken = true), contend: () => (busy = true) };
}

test('a mutating call whose event cannot be written fails with InternalFailure and leaves no state', async () => {
  const t = await setup();
  assert.equal((await t.call('RequestCertificate', { DomainName: 'ok.example.com' })).status, 200);
  assert.equal((await t.certificates()).length, 1);
  t.breakIt();
  const r = await t.call('RequestCertificate', { DomainName: 'lost.example.com' });
  assert.equal(r.status, 500);
  assert.equal(r.body.__type, 'InternalFailure');
  assert.doesNotMatch(r.body.message, /disk full/);
  assert.deepEqual((await t.certificates()).map((c) => c.domainName), ['ok.example.com']);
  assert.equal((await t.events()).length, 1);
});

test('a read whose event cannot be written is not answered either', async () => {
  const t = await setup();
  t.breakIt();
  const r = await t.call('ListCertificates', {});
  assert.equal(r.status, 500);
  assert.equal(r.body.__type, 'InternalFailure');
  assert.equal((await t.events()).length, 0);
});

test('a write the store could not commit for contention is a ThrottlingException (which SDKs retry), recorded as such', async () => {
  const t = await setup();
  t.contend();
  const r = await t.call('RequestCertificate', { DomainName: 'busy.example.com' });
  assert.equal(r.status, 400);
  assert.deepEqual(r.body, { __type: 'ThrottlingException', message: 'Rate exceeded' });
  assert.equal((await t.certificates()).length, 0);
  const [e] = await t.events();
  assert.equal(JSON.parse(e.record).errorCode, 'ThrottlingException');
});
