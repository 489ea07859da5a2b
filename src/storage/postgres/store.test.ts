import { storeContract } from '../contract.js';
import { TEST_DATABASE_URL, postgresTestStores } from './testing.js';

const stores = postgresTestStores();
storeContract(`postgres (${TEST_DATABASE_URL.startsWith('pglite:') ? 'PGlite' : 'server'})`, () => stores.open(), (s) => stores.reopen(s as any));
