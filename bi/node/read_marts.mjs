// A long-lived Node reader of the published marts (tests/integration/test_bi_clients.py).
// It prints the night it sees, then on each line from stdin prints it again twice: first from
// the connection it already holds, then from a new instance, which opens what data/marts.duckdb
// points to now.
import { DuckDBInstance } from '@duckdb/node-api';
import { createInterface } from 'node:readline';

const [path] = process.argv.slice(2);
const QUERY = `select run_id, (select count(*) from election_crises) as crises,
               (select sum(deaths_latest) from election_crises)::bigint as deaths from _publication`;

async function open() {
  const instance = await DuckDBInstance.create(path, { access_mode: 'READ_ONLY' });
  return { instance, connection: await instance.connect() };
}

async function night(connection, via) {
  const rows = (await connection.runAndReadAll(QUERY)).getRowObjectsJson();
  console.log(JSON.stringify({ via, ...rows[0] }));
}

let held = await open();
await night(held.connection, 'first');
for await (const _line of createInterface({ input: process.stdin })) {
  await night(held.connection, 'held');
  const fresh = await open();
  await night(fresh.connection, 'reconnected');
  held.connection.closeSync();
  held.instance.closeSync?.();
  held = fresh;
}
