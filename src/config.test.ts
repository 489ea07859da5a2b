import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from './config.js';

function withDataDir(fn: (dir: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'certtrail-config-'));
  try {
    fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('without CERTTRAIL_DATABASE_URL or a database-url file: SQLite in the data dir', () =>
  withDataDir((dir) => assert.equal(loadConfig({ CERTTRAIL_DATA_DIR: dir }).databaseUrl, undefined)));

test("a data dir's database-url file names its database (trimmed)", () =>
  withDataDir((dir) => {
    writeFileSync(join(dir, 'database-url'), '  postgres://u@db.example:5432/certtrail?options=-c%20search_path%3Dct_1\n');
    assert.equal(loadConfig({ CERTTRAIL_DATA_DIR: dir }).databaseUrl, 'postgres://u@db.example:5432/certtrail?options=-c%20search_path%3Dct_1');
  }));

test('CERTTRAIL_DATABASE_URL wins over the database-url file', () =>
  withDataDir((dir) => {
    writeFileSync(join(dir, 'database-url'), 'postgres://file/db');
    assert.equal(loadConfig({ CERTTRAIL_DATA_DIR: dir, CERTTRAIL_DATABASE_URL: 'postgres://env/db' }).databaseUrl, 'postgres://env/db');
  }));

test('a database-url file that holds no database URL is refused, naming the file', () =>
  withDataDir((dir) => {
    for (const content of ['mysql://x/y', '', '\n']) {
      writeFileSync(join(dir, 'database-url'), content);
      assert.throws(() => loadConfig({ CERTTRAIL_DATA_DIR: dir }), (e: unknown) => e instanceof ConfigError && e.message.includes(join(dir, 'database-url')), JSON.stringify(content));
    }
  }));
