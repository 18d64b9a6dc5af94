import type { AppContext } from '../types/state';
import { PhotoService } from '../services/PhotoService';
import { RepairService } from '../services/RepairService';

export class PhotoController {
  constructor(private readonly photos: PhotoService, private readonly repairs: RepairService) {}

  upload = async (ctx: AppContext): Promise<void> => {
    const file = ctx.request.file;
    if (!file) ctx.throw(400, 'attach the photo as "photo"');
    const repairId = Number(ctx.params.id);
    const repair = await this.repairs.get(repairId);
    if (!repair) ctx.throw(404, 'no such repair');
    const photo = await this.photos.record(repairId, file);
    ctx.status = 201;
    ctx.body = { photo: { id: photo.id, name: photo.original_name, size: photo.size }, url: `/api/photos/${photo.id}` };
  };

  download = async (ctx: AppContext): Promise<void> => {
    const photo = await this.photos.find(Number(ctx.params.id));
    if (!photo) ctx.throw(404, 'no such photo');
    ctx.type = photo.mime_type;
    ctx.set('Content-Disposition', `inline; filename="${photo.original_name}"`);
    ctx.body = this.photos.open(photo);
  };
}
