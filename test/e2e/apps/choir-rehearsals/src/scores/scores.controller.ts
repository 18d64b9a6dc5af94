import { BadRequestException, Body, Controller, Get, Param, ParseIntPipe, Patch, Post, Req, Res, UseGuards } from '@nestjs/common';
import { randomUUID } from 'crypto';
import { FastifyReply, FastifyRequest } from 'fastify';
import { createWriteStream } from 'fs';
import { extname, join } from 'path';
import { pipeline } from 'stream/promises';
import { ConductorOnly } from '../common/conductor-only.decorator';
import { CurrentSinger } from '../common/current-singer.decorator';
import { UPLOAD_DIR } from '../common/paths';
import { SessionSinger } from '../common/session-singer';
import { SignedInGuard } from '../common/signed-in.guard';
import { StatsService } from '../stats/stats.service';
import { ScoresService } from './scores.service';

const ALLOWED = ['application/pdf', 'text/plain', 'application/vnd.recordare.musicxml+xml'];

@Controller('scores')
@UseGuards(SignedInGuard)
export class ScoresController {
  constructor(
    private readonly scores: ScoresService,
    private readonly stats: StatsService,
  ) {}

  @Get()
  async list() {
    return { scores: await this.scores.list() };
  }

  @Post()
  @ConductorOnly()
  async upload(@Req() req: FastifyRequest, @CurrentSinger() singer: SessionSinger) {
    if (!req.isMultipart()) throw new BadRequestException('send the score as multipart/form-data');
    const fields: Record<string, string> = {};
    let stored: { fileName: string; originalName: string; mimeType: string } | undefined;
    for await (const part of req.parts()) {
      if (part.type === 'file') {
        if (!ALLOWED.includes(part.mimetype)) {
          part.file.resume();
          throw new BadRequestException(`scores are PDF, MusicXML or plain text, not ${part.mimetype}`);
        }
        const fileName = `${randomUUID()}${extname(part.filename)}`;
        await pipeline(part.file, createWriteStream(join(UPLOAD_DIR, fileName)));
        stored = { fileName, originalName: part.filename, mimeType: part.mimetype };
      } else {
        fields[part.fieldname] = String(part.value);
      }
    }
    if (!stored) throw new BadRequestException('attach the score as "file"');
    if (!fields.title || !fields.composer) throw new BadRequestException('a title and a composer');
    const score = await this.scores.add({ title: fields.title, composer: fields.composer, ...stored, uploadedBy: singer.id });
    return { score };
  }

  @Get(':id')
  async show(@Param('id', ParseIntPipe) id: number) {
    return { score: await this.scores.findOne(id) };
  }

  @Patch(':id')
  @ConductorOnly()
  async rename(@Param('id', ParseIntPipe) id: number, @Body() body: { title?: string; composer?: string }) {
    return { score: await this.scores.rename(id, body) };
  }

  @Get(':id/file')
  async download(@Param('id', ParseIntPipe) id: number, @Res() reply: FastifyReply) {
    const score = await this.scores.findOne(id);
    this.stats.scoreDownloaded();
    return reply.type(score.mimeType).header('content-disposition', `attachment; filename="${score.originalName}"`).sendFile(score.fileName);
  }
}
