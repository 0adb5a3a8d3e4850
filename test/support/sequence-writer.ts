/** Child for the backup test: commits rows 1, 2, 3… one transaction each, through the app's DB factory. */
import { openSqlite } from '../../src/main/db/open';

const db = openSqlite(process.argv[2]!);
db.exec('CREATE TABLE IF NOT EXISTS seq (n INTEGER PRIMARY KEY, payload BLOB NOT NULL) STRICT');
const insert = db.prepare('INSERT INTO seq (n, payload) VALUES (?, randomblob(512))');
process.stdout.write('ready\n');
for (let n = 1; ; n++) insert.run(n);
