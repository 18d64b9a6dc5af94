import { Injectable, NotFoundException } from '@nestjs/common';
import { Interval } from '@nestjs/schedule';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { UpdateVetDto } from './dto/update-vet.dto';
import { Vet } from './vet.entity';

@Injectable()
export class VetsService {
  // Vets change a few times a year; every booking looks one up.
  private readonly cache = new Map<number, Vet>();

  constructor(
    @InjectRepository(Vet) private readonly vets: Repository<Vet>,
    @InjectRepository(Vet, 'replica') private readonly replicaVets: Repository<Vet>,
  ) {}

  findAll(): Promise<Vet[]> {
    return this.replicaVets.find({ order: { id: 'ASC' } });
  }

  async findOne(id: number): Promise<Vet> {
    const cached = this.cache.get(id);
    if (cached) return cached;
    const vet = await this.vets.findOne({ where: { id } });
    if (!vet) {
      throw new NotFoundException(`no vet ${id}`);
    }
    this.cache.set(id, vet);
    return vet;
  }

  async update(id: number, dto: UpdateVetDto): Promise<Vet> {
    await this.findOne(id);
    await this.vets.update(id, dto);
    this.cache.delete(id);
    return this.findOne(id);
  }

  @Interval(10 * 60 * 1000)
  flushCache() {
    this.cache.clear();
  }
}
