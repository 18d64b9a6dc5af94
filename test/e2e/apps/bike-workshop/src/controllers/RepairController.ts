import { PassThrough } from 'stream';
import type { AppContext } from '../types/state';
import { REPAIR_STATUSES, RepairStatus, SERVICES } from '../constants';
import { RepairService, WorkshopFullError } from '../services/RepairService';
import { boardEvents, BoardEvent } from '../services/BoardEvents';

interface BookingBody {
  name?: string;
  email?: string;
  bike?: string;
  service?: string;
  date?: string;
}

export class RepairController {
  constructor(private readonly repairs: RepairService) {}

  services = async (ctx: AppContext): Promise<void> => {
    ctx.body = {
      services: Object.entries(SERVICES).map(([code, service]) => ({ code, ...service })),
    };
  };

  book = async (ctx: AppContext): Promise<void> => {
    const body = ctx.request.body as BookingBody;
    if (!body.name || !body.email || !body.bike || !body.date || !/^\d{4}-\d{2}-\d{2}$/.test(body.date)) {
      ctx.throw(400, 'name, email, bike and date (YYYY-MM-DD) are required');
    }
    if (!body.service || !(body.service in SERVICES)) ctx.throw(400, `service must be one of ${Object.keys(SERVICES).join(', ')}`);
    try {
      const repair = await this.repairs.book({
        customerName: body.name,
        customerEmail: body.email,
        bike: body.bike,
        service: body.service as keyof typeof SERVICES,
        bookedFor: body.date,
      });
      ctx.status = 201;
      ctx.body = { repair, confirmationSent: true };
    } catch (err) {
      if (err instanceof WorkshopFullError) ctx.throw(409, err.message);
      throw err;
    }
  };

  list = async (ctx: AppContext): Promise<void> => {
    const status = typeof ctx.query.status === 'string' ? ctx.query.status : undefined;
    ctx.body = { repairs: await this.repairs.list(status) };
  };

  show = async (ctx: AppContext): Promise<void> => {
    const id = Number(ctx.params.id);
    const repair = await this.repairs.get(id);
    if (!repair) ctx.throw(404, 'no such repair');
    ctx.body = { repair, notes: await this.repairs.notes(id) };
  };

  addNote = async (ctx: AppContext): Promise<void> => {
    const { body } = ctx.request.body as { body?: string };
    if (!body || !body.trim()) ctx.throw(400, 'a note needs a body');
    const id = Number(ctx.params.id);
    const repair = await this.repairs.get(id);
    if (!repair) ctx.throw(404, 'no such repair');
    const result = await this.repairs.addNote(id, ctx.state.mechanic!.id, body.trim());
    ctx.status = 201;
    ctx.body = result;
  };

  setStatus = async (ctx: AppContext): Promise<void> => {
    const { status } = ctx.request.body as { status?: string };
    if (!status || !REPAIR_STATUSES.includes(status as RepairStatus)) ctx.throw(400, `status must be one of ${REPAIR_STATUSES.join(', ')}`);
    const repair = await this.repairs.setStatus(Number(ctx.params.id), status as RepairStatus, ctx.state.mechanic!.id);
    if (!repair) ctx.throw(404, 'no such repair');
    ctx.body = { repair };
  };

  board = async (ctx: AppContext): Promise<void> => {
    const stream = new PassThrough();
    const onEvent = (event: BoardEvent) => {
      stream.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
    };
    boardEvents.on('board', onEvent);
    const stop = () => boardEvents.off('board', onEvent);
    ctx.req.on('close', stop);
    ctx.req.socket.setTimeout(0);
    ctx.set({ 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-cache', Connection: 'keep-alive' });
    ctx.status = 200;
    ctx.body = stream;
    stream.write(': connected\n\n');
  };
}
