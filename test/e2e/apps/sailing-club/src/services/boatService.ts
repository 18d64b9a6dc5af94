import path from 'path';
import type { UploadedFile } from 'express-fileupload';
import { config } from '../config';
import { AppDataSource, ReplicaDataSource } from '../data-source';
import { Boat, BoatStatus } from '../entities/Boat';
import { TtlCache } from '../lib/ttlCache';
import { HttpError } from '../middleware/errorHandler';

const STATUSES: BoatStatus[] = ['afloat', 'ashore', 'repair'];

export class BoatService {
  // The boat page is read on every reservation and every visit: keep the rows for five minutes.
  private cache = new TtlCache<number, Boat>(5 * 60 * 1000);

  private get boats() {
    return AppDataSource.getRepository(Boat);
  }

  async list(): Promise<Boat[]> {
    return ReplicaDataSource.getRepository(Boat).find({ order: { id: 'ASC' } });
  }

  async get(id: number): Promise<Boat> {
    const cached = this.cache.get(id);
    if (cached) return cached;
    const boat = await this.boats.findOneBy({ id });
    if (!boat) throw new HttpError(404, 'no such boat');
    this.cache.set(id, boat);
    return boat;
  }

  async add(name: string, boatClass: string): Promise<Boat> {
    return this.boats.save(this.boats.create({ name, boatClass, status: 'afloat' }));
  }

  async setStatus(id: number, status: string): Promise<Boat> {
    if (!STATUSES.includes(status as BoatStatus)) throw new HttpError(400, `status is one of ${STATUSES.join(', ')}`);
    const boat = await this.get(id);
    await this.boats.update({ id }, { status: status as BoatStatus });
    this.cache.delete(id);
    return { ...boat, status: status as BoatStatus };
  }

  async savePhoto(id: number, photo: UploadedFile): Promise<string> {
    if (!config.club.photoTypes.includes(photo.mimetype)) throw new HttpError(415, 'a photo is a JPEG or a PNG');
    await this.get(id);
    const filename = `boat-${id}-${Date.now()}${path.extname(photo.name).toLowerCase()}`;
    await photo.mv(path.join(config.uploadDir, filename));
    await this.boats.update({ id }, { photo: filename });
    this.cache.delete(id);
    return filename;
  }

  async photoPath(id: number): Promise<string> {
    const boat = await this.boats.findOneBy({ id });
    if (!boat || !boat.photo) throw new HttpError(404, 'no photo of that boat');
    return path.join(config.uploadDir, boat.photo);
  }
}

export const boatService = new BoatService();
