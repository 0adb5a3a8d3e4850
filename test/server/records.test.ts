import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as z from 'zod';
import { RecordOutput } from '../../src/shared/api/records';
import { envelope, useServer } from './helpers';

const RecordPage = z.object({
  records: z.array(RecordOutput),
  total: z.number(),
  page: z.number(),
  count: z.number(),
});
const SearchResult = z.object({ records: z.array(RecordOutput), total: z.number() });

describe('database records', () => {
  const { client } = useServer();

  async function setup() {
    const alice = client();
    const { notebookId } = await alice.me();
    const section = await alice.createNode(notebookId, 'section', null);
    const database = await alice.createNode(notebookId, 'database', section.id, {
      name: 'Customers',
      fields: { status: { name: 'Status', type: 'string' }, renewal: { name: 'Renewal', type: 'number' } },
    });
    const base = `/notebooks/${notebookId}/databases/${database.id}/records`;
    const create = async (name: string, fields: Record<string, unknown> = {}) => {
      const response = await alice.post(base, { name, fields });
      assert.equal(response.status, 201, response.text);
      return RecordOutput.parse(response.body);
    };
    return { alice, notebookId, section, database, base, create };
  }

  it('creates, gets, merges updates and deletes records with typed fields', async () => {
    const { alice, base, create } = await setup();
    const acme = await create('Acme Corp', {
      status: { type: 'string', value: 'active' },
      tags: { type: 'string_array', value: ['enterprise', 'us-east'] },
    });
    assert.deepEqual(acme.fields.tags, { type: 'string_array', value: ['enterprise', 'us-east'] });
    assert.equal(acme.avatar, null);
    const untitled = RecordOutput.parse((await alice.post(base, {})).body);
    assert.equal(untitled.name, 'Untitled');
    const got = RecordOutput.parse((await alice.get(`${base}/${acme.id}`)).body);
    assert.deepEqual(got, acme);
    const updated = await alice.patch(`${base}/${acme.id}`, {
      name: 'Acme Corp (Renewed)',
      avatar: '🏢',
      fields: { status: { type: 'string', value: 'renewed' }, renewal: { type: 'number', value: 730 } },
    });
    assert.equal(updated.status, 200);
    const record = RecordOutput.parse(updated.body);
    assert.equal(record.name, 'Acme Corp (Renewed)');
    assert.equal(record.avatar, '🏢');
    assert.deepEqual(record.fields, {
      status: { type: 'string', value: 'renewed' },
      tags: { type: 'string_array', value: ['enterprise', 'us-east'] },
      renewal: { type: 'number', value: 730 },
    });
    assert.deepEqual((await alice.delete(`${base}/${acme.id}`)).body, { success: true });
    assert.equal((await alice.get(`${base}/${acme.id}`)).status, 404);
  });

  it('rejects mismatched and malformed field values with 400', async () => {
    const { alice, base, create } = await setup();
    const acme = await create('Acme', { tags: { type: 'string_array', value: ['a'] } });
    const cases: [unknown, string][] = [
      [{ fields: { renewal: { type: 'string', value: 'soon' } } }, 'fields.renewal'],
      [{ fields: { tags: { type: 'string', value: 'a' } } }, 'fields.tags'],
      [{ fields: { status: { type: 'string', value: 5 } } }, 'body.fields.status'],
      [{ fields: { status: { type: 'color', value: 'red' } } }, 'body.fields.status'],
    ];
    for (const [body, path] of cases) {
      const response = await alice.patch(`${base}/${acme.id}`, body);
      assert.equal(response.status, 400, JSON.stringify(body));
      const error = envelope(response.body);
      assert.equal(error.code, 'bad_request');
      assert.ok(
        error.details.some((d) => d.path.startsWith(path)),
        `${JSON.stringify(error.details)} ~ ${path}`,
      );
    }
    const created = await alice.post(base, {
      name: 'x',
      fields: { renewal: { type: 'boolean', value: true } },
    });
    assert.equal(created.status, 400);
  });

  it('lists with JSON filters and sorts, pages and counts, and searches by name with exclusions', async () => {
    const { alice, base, create } = await setup();
    const globex = await create('Globex', {
      status: { type: 'string', value: 'active' },
      renewal: { type: 'number', value: 30 },
    });
    await create('Acme', {
      status: { type: 'string', value: 'active' },
      renewal: { type: 'number', value: 365 },
    });
    await create('Initech', {
      status: { type: 'string', value: 'prospect' },
      renewal: { type: 'number', value: 90 },
    });
    await create('Acme Industries', { status: { type: 'string', value: 'churned' } });

    const filters = encodeURIComponent(JSON.stringify([{ field: 'status', op: 'eq', value: 'active' }]));
    const sorts = encodeURIComponent(JSON.stringify([{ field: 'name', dir: 'asc' }]));
    const active = RecordPage.parse((await alice.get(`${base}?filters=${filters}&sorts=${sorts}`)).body);
    assert.deepEqual(
      active.records.map((r) => r.name),
      ['Acme', 'Globex'],
    );
    assert.deepEqual([active.total, active.page, active.count], [2, 1, 50]);

    const byRenewal = encodeURIComponent(JSON.stringify([{ field: 'renewal', dir: 'desc' }]));
    const page2 = RecordPage.parse((await alice.get(`${base}?sorts=${byRenewal}&page=2&count=2`)).body);
    assert.deepEqual(
      page2.records.map((r) => r.name),
      ['Globex', 'Acme Industries'],
      'numeric desc, empty last',
    );
    assert.equal(page2.total, 4);

    const gt = encodeURIComponent(JSON.stringify([{ field: 'renewal', op: 'gte', value: 90 }]));
    assert.deepEqual(
      RecordPage.parse((await alice.get(`${base}?filters=${gt}&sorts=${sorts}`)).body).records.map(
        (r) => r.name,
      ),
      ['Acme', 'Initech'],
    );

    const search = SearchResult.parse(
      (await alice.get(`${base}/search?q=acme&exclude=${encodeURIComponent(JSON.stringify([globex.id]))}`))
        .body,
    );
    assert.deepEqual(
      search.records.map((r) => r.name),
      ['Acme', 'Acme Industries'],
    );
    assert.equal(search.total, 2);

    for (const query of [
      'filters=%5Bnope',
      'sorts=%7B%7D',
      'filters=' + encodeURIComponent('[{"field":"x","op":"like"}]'),
      'page=0',
    ]) {
      const response = await alice.get(`${base}?${query}`);
      assert.equal(response.status, 400, query);
      assert.equal(envelope(response.body).code, 'bad_request');
    }
    const badExclude = await alice.get(`${base}/search?exclude=notjson`);
    assert.equal(badExclude.status, 400);
    assert.equal(envelope(badExclude.body).details[0]?.path, 'exclude');
  });

  it('answers not_found for unknown databases and records, forbidden for strangers', async () => {
    const { alice, notebookId, section, base } = await setup();
    const missingDb = await alice.get(`/notebooks/${notebookId}/databases/nd_missing/records`);
    assert.equal(missingDb.status, 404);
    assert.equal(envelope(missingDb.body).message, 'Database not found.');
    const notADatabase = await alice.get(`/notebooks/${notebookId}/databases/${section.id}/records`);
    assert.equal(notADatabase.status, 404);
    assert.equal((await alice.get(`${base}/nd_missing`)).status, 404);
    const stranger = client();
    assert.equal((await stranger.get(base)).status, 403);
    assert.equal((await stranger.post(base, { name: 'x' })).status, 403);
  });
});
