import { randomBytes } from 'node:crypto';
import { IdPrefix } from '../../shared/lib/ids';
import { forbidden } from '../http/errors';

/**
 * Short-lived, few-use tickets that authorise one HTML export of one node for one user (kept in memory: a
 * restart simply invalidates them, and clients ask for a new one right before exporting).
 */
export const TICKET_TTL_MS = 5 * 60_000;
export const TICKET_USES = 3;

export interface TicketOptions {
  includeComments: 'none' | 'appendix';
  includeBackground: boolean;
  themeMode: 'light' | 'dark';
  fileName?: string | undefined;
}

interface Ticket extends TicketOptions {
  userId: string;
  notebookId: string;
  nodeId: string;
  expiresAt: number;
  usesRemaining: number;
}

export class ExportTickets {
  private readonly tickets = new Map<string, Ticket>();

  issue(userId: string, notebookId: string, nodeId: string, options: TicketOptions, now = Date.now()) {
    for (const [id, ticket] of this.tickets) if (ticket.expiresAt <= now) this.tickets.delete(id);
    const id = `${IdPrefix.ticket}_${randomBytes(18).toString('base64url')}`;
    const ticket: Ticket = {
      ...options,
      userId,
      notebookId,
      nodeId,
      expiresAt: now + TICKET_TTL_MS,
      usesRemaining: TICKET_USES,
    };
    this.tickets.set(id, ticket);
    return {
      ticket: id,
      expiresAt: new Date(ticket.expiresAt).toISOString(),
      usesRemaining: ticket.usesRemaining,
    };
  }

  /** Spends one use; throws 403 for unknown, expired, used-up or mismatched tickets. */
  redeem(id: string, userId: string, notebookId: string, nodeId: string, now = Date.now()): TicketOptions {
    const ticket = this.tickets.get(id);
    const valid =
      ticket &&
      ticket.expiresAt > now &&
      ticket.usesRemaining > 0 &&
      ticket.userId === userId &&
      ticket.notebookId === notebookId &&
      ticket.nodeId === nodeId;
    if (!valid) throw forbidden('Export ticket is invalid or expired.', 'invalid_ticket');
    ticket.usesRemaining -= 1;
    if (ticket.usesRemaining === 0) this.tickets.delete(id);
    return ticket;
  }
}
