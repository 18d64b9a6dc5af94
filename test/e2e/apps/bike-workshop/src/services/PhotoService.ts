import fs from 'fs';
import path from 'path';
import { db } from '../db/knex';
import { config } from '../config';

export interface Photo {
  id: number;
  repair_id: number;
  original_name: string;
  stored_as: string;
  mime_type: string;
  size: number;
}

export class PhotoService {
  async record(repairId: number, file: { originalname: string; filename: string; mimetype: string; size: number }): Promise<Photo> {
    const [photo] = await db<Photo>('repair_photos')
      .insert({ repair_id: repairId, original_name: file.originalname, stored_as: file.filename, mime_type: file.mimetype, size: file.size })
      .returning('*');
    return photo;
  }

  async find(id: number): Promise<Photo | undefined> {
    return db<Photo>('repair_photos').where({ id }).first();
  }

  open(photo: Photo): fs.ReadStream {
    return fs.createReadStream(path.join(config.uploadDir, photo.stored_as));
  }
}
