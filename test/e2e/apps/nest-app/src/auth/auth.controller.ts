import { BadRequestException, Body, Controller, Get, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import { Throttle } from '@nestjs/throttler';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';

@Controller('auth')
export class AuthController {
  constructor(private readonly authService: AuthService) {}

  @Post('register')
  register(@Body() body: { email?: string; password?: string; displayName?: string; role?: string }) {
    if (!body.email || !body.password) throw new BadRequestException('email and password are required');
    return this.authService.register(body.email, body.password, body.displayName ?? body.email, body.role);
  }

  @Throttle({ default: { limit: 5, ttl: 60000 } })
  @Post('login')
  @HttpCode(200)
  login(@Body() body: { email: string; password: string }) {
    return this.authService.login(body.email, body.password);
  }

  @UseGuards(AuthGuard)
  @Get('profile')
  profile(@Req() req) {
    return req.user;
  }

  @UseGuards(AuthGuard)
  @Post('logout')
  @HttpCode(204)
  logout(@Req() req) {
    this.authService.logout(req.token);
  }
}
