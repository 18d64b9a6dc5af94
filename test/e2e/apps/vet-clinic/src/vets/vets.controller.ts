import { Body, Controller, Get, Param, ParseIntPipe, Patch, UseGuards } from '@nestjs/common';
import { Roles } from '../common/roles.decorator';
import { SessionGuard } from '../common/session.guard';
import { UpdateVetDto } from './dto/update-vet.dto';
import { VetsService } from './vets.service';

@Controller('vets')
export class VetsController {
  constructor(private readonly vets: VetsService) {}

  @Get()
  async list() {
    return { vets: await this.vets.findAll() };
  }

  @Get(':id')
  async show(@Param('id', ParseIntPipe) id: number) {
    return { vet: await this.vets.findOne(id) };
  }

  @Patch(':id')
  @UseGuards(SessionGuard)
  @Roles('staff')
  async update(@Param('id', ParseIntPipe) id: number, @Body() dto: UpdateVetDto) {
    return { vet: await this.vets.update(id, dto) };
  }
}
