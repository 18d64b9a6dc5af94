import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Vet } from './vet.entity';
import { VetsController } from './vets.controller';
import { VetsService } from './vets.service';

@Module({
  imports: [TypeOrmModule.forFeature([Vet]), TypeOrmModule.forFeature([Vet], 'replica')],
  controllers: [VetsController],
  providers: [VetsService],
  exports: [VetsService],
})
export class VetsModule {}
