import type { AppContext } from '../types/state';
import { PartsService } from '../services/PartsService';

export class PartsController {
  constructor(private readonly parts: PartsService) {}

  list = async (ctx: AppContext): Promise<void> => {
    ctx.body = { parts: await this.parts.list() };
  };

  show = async (ctx: AppContext): Promise<void> => {
    const part = await this.parts.get(Number(ctx.params.id));
    if (!part) ctx.throw(404, 'no such part');
    ctx.body = { part };
  };

  updatePrice = async (ctx: AppContext): Promise<void> => {
    const { priceCents } = ctx.request.body as { priceCents?: number };
    if (typeof priceCents !== 'number' || !Number.isInteger(priceCents) || priceCents <= 0) {
      ctx.throw(400, 'priceCents must be a positive whole number');
    }
    const part = await this.parts.updatePrice(Number(ctx.params.id), priceCents);
    if (!part) ctx.throw(404, 'no such part');
    ctx.body = { part };
  };
}
