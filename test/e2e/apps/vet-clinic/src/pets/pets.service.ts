import { ForbiddenException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { SessionUser } from '../common/session-user';
import { CreatePetDto } from './dto/create-pet.dto';
import { PetRecord } from './pet-record.entity';
import { Pet } from './pet.entity';

export function recordView(record: PetRecord) {
  return {
    id: record.id,
    originalName: record.originalName,
    mimeType: record.mimeType,
    size: record.size,
    url: `/pets/${record.petId}/records/${record.id}`,
  };
}

@Injectable()
export class PetsService {
  constructor(
    @InjectRepository(Pet) private readonly pets: Repository<Pet>,
    @InjectRepository(PetRecord) private readonly records: Repository<PetRecord>,
  ) {}

  create(owner: SessionUser, dto: CreatePetDto): Promise<Pet> {
    return this.pets.save(this.pets.create({ ...dto, ownerId: owner.id }));
  }

  mine(owner: SessionUser): Promise<Pet[]> {
    return this.pets.find({ where: { ownerId: owner.id }, order: { id: 'ASC' } });
  }

  // The owner sees their own pets; the front desk sees every pet.
  async findVisible(user: SessionUser, id: number): Promise<Pet> {
    const pet = await this.pets.findOne({ where: { id } });
    if (!pet) {
      throw new NotFoundException(`no pet ${id}`);
    }
    if (user.role !== 'staff' && pet.ownerId !== user.id) {
      throw new ForbiddenException('not your pet');
    }
    return pet;
  }

  async withRecords(user: SessionUser, id: number) {
    const pet = await this.findVisible(user, id);
    const records = await this.records.find({ where: { petId: pet.id }, order: { id: 'ASC' } });
    return { ...pet, records: records.map(recordView) };
  }

  addRecord(user: SessionUser, pet: Pet, file: Express.Multer.File): Promise<PetRecord> {
    return this.records.save(
      this.records.create({
        petId: pet.id,
        fileName: file.filename,
        originalName: file.originalname,
        mimeType: file.mimetype,
        size: file.size,
        uploadedBy: user.id,
      }),
    );
  }

  async findRecord(user: SessionUser, petId: number, recordId: number): Promise<PetRecord> {
    const pet = await this.findVisible(user, petId);
    const record = await this.records.findOne({ where: { id: recordId, petId: pet.id } });
    if (!record) {
      throw new NotFoundException(`no record ${recordId}`);
    }
    return record;
  }
}
