import type { recordCommands } from '../../shared/contract/records';
import type { DomainHandlers } from '../ipc/router';
import type { RecordsService } from './records.service';

export interface RecordHandlerDeps {
  account(accountId: string): { records: RecordsService };
}

export const recordHandlers = ({ account }: RecordHandlerDeps) =>
  ({
    'database.get': ({ accountId, databaseId }) => account(accountId).records.get(databaseId),
    'database.create': ({ accountId, ...input }) => account(accountId).records.create(input),
    'database.change': ({ accountId, databaseId, change }) =>
      account(accountId).records.change(databaseId, change),
    'records.query': ({ accountId, databaseId, query, offset, limit }) =>
      account(accountId).records.query(databaseId, query, offset, limit),
    'records.groups': ({ accountId, databaseId, query, fieldId, perGroup }) =>
      account(accountId).records.groups(databaseId, query, fieldId, perGroup),
    'record.get': ({ accountId, recordId }) => account(accountId).records.getRecord(recordId),
    'record.create': ({ accountId, databaseId, name, values }) =>
      account(accountId).records.createRecord(databaseId, { name, values }),
    'record.update': ({ accountId, recordId, name, set }) =>
      account(accountId).records.updateRecord(recordId, { name, set }),
  }) satisfies DomainHandlers<typeof recordCommands>;
