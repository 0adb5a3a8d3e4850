import type { captureCommands } from '../../shared/contract/capture';
import type { DomainHandlers } from '../ipc/router';
import type { Clock } from '../lib/clock';
import { CaptureService } from './capture.service';

export interface CaptureHandlerDeps {
  account(accountId: string): ConstructorParameters<typeof CaptureService>[0];
  clock: Clock;
}

export const captureHandlers = ({ account, clock }: CaptureHandlerDeps) =>
  ({
    'capture.save': ({ accountId, ...input }) => new CaptureService(account(accountId), clock).save(input),
    'capture.destinations': ({ accountId }) => new CaptureService(account(accountId), clock).destinations(),
  }) satisfies DomainHandlers<typeof captureCommands>;
