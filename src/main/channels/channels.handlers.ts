import type { channelCommands } from '../../shared/contract/channels';
import type { DomainHandlers } from '../ipc/router';
import type { ChannelsService } from './channels.service';

export interface ChannelHandlerDeps {
  account(accountId: string): { channels: ChannelsService };
}

export const channelHandlers = ({ account }: ChannelHandlerDeps) =>
  ({
    'channel.get': ({ accountId, channelId }) => account(accountId).channels.get(channelId),
    'channel.messages': ({ accountId, channelId, before, limit }) =>
      account(accountId).channels.messages(channelId, before, limit),
    'channel.unread': ({ accountId, notebookId }) => account(accountId).channels.unread(notebookId),
    'message.send': ({ accountId, channelId, body }) => account(accountId).channels.send(channelId, body),
    'message.edit': ({ accountId, messageId, body }) => account(accountId).channels.edit(messageId, body),
    'message.delete': ({ accountId, messageId }) => account(accountId).channels.delete(messageId),
  }) satisfies DomainHandlers<typeof channelCommands>;
