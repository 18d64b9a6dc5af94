import { Body, Controller, Get, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { FastifyRequest } from 'fastify';
import { CurrentSinger } from '../common/current-singer.decorator';
import { SessionSinger } from '../common/session-singer';
import { SignedInGuard } from '../common/signed-in.guard';
import { AuthService, RegisterBody } from './auth.service';

@Controller('auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Post('register')
  async register(@Body() body: RegisterBody) {
    const singer = await this.auth.register(body);
    return { singer };
  }

  @Post('login')
  @HttpCode(200)
  async login(@Body() body: { email?: string; password?: string }, @Req() req: FastifyRequest) {
    const singer = await this.auth.login(body.email, body.password);
    await req.session.regenerate();
    req.session.singer = singer;
    return { singer };
  }

  @Post('logout')
  @HttpCode(200)
  async logout(@Req() req: FastifyRequest) {
    await req.session.destroy();
    return { ok: true };
  }

  @Get('me')
  @UseGuards(SignedInGuard)
  me(@CurrentSinger() singer: SessionSinger) {
    return { singer };
  }
}
