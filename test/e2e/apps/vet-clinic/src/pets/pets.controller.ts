import {
  BadRequestException,
  Body,
  Controller,
  Get,
  Param,
  ParseIntPipe,
  Post,
  Res,
  UploadedFile,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { Response } from 'express';
import { diskStorage } from 'multer';
import { extname } from 'path';
import { CurrentUser } from '../common/current-user.decorator';
import { UPLOAD_DIR } from '../common/paths';
import { SessionGuard } from '../common/session.guard';
import { SessionUser } from '../common/session-user';
import { CreatePetDto } from './dto/create-pet.dto';
import { PetsService, recordView } from './pets.service';

const RECORD_TYPES = ['application/pdf', 'image/png', 'image/jpeg', 'text/plain'];

@Controller('pets')
@UseGuards(SessionGuard)
export class PetsController {
  constructor(private readonly pets: PetsService) {}

  @Post()
  async create(@CurrentUser() user: SessionUser, @Body() dto: CreatePetDto) {
    return { pet: await this.pets.create(user, dto) };
  }

  @Get()
  async mine(@CurrentUser() user: SessionUser) {
    return { pets: await this.pets.mine(user) };
  }

  @Get(':id')
  async show(@CurrentUser() user: SessionUser, @Param('id', ParseIntPipe) id: number) {
    return { pet: await this.pets.withRecords(user, id) };
  }

  // Lab results, x-rays, referral letters.
  @Post(':id/records')
  @UseInterceptors(
    FileInterceptor('file', {
      storage: diskStorage({
        destination: UPLOAD_DIR,
        filename: (_req, file, cb) => cb(null, `${Date.now()}-${Math.round(Math.random() * 1e9)}${extname(file.originalname)}`),
      }),
      limits: { fileSize: 10 * 1024 * 1024 },
      fileFilter: (_req, file, cb) => {
        if (RECORD_TYPES.includes(file.mimetype)) cb(null, true);
        else cb(new BadRequestException(`records must be one of ${RECORD_TYPES.join(', ')}`), false);
      },
    }),
  )
  async upload(@CurrentUser() user: SessionUser, @Param('id', ParseIntPipe) id: number, @UploadedFile() file: Express.Multer.File) {
    if (!file) {
      throw new BadRequestException('attach the record as "file"');
    }
    const pet = await this.pets.findVisible(user, id);
    const record = await this.pets.addRecord(user, pet, file);
    return { record: recordView(record) };
  }

  @Get(':id/records/:recordId')
  async download(
    @CurrentUser() user: SessionUser,
    @Param('id', ParseIntPipe) id: number,
    @Param('recordId', ParseIntPipe) recordId: number,
    @Res() res: Response,
  ) {
    const record = await this.pets.findRecord(user, id, recordId);
    res.type(record.mimeType);
    res.sendFile(record.fileName, { root: UPLOAD_DIR });
  }
}
