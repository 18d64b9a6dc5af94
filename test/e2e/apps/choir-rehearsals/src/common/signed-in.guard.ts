import { CanActivate, ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { FastifyRequest } from 'fastify';
import { CONDUCTOR_ONLY } from './conductor-only.decorator';

@Injectable()
export class SignedInGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<FastifyRequest>();
    const singer = req.session.singer;
    if (!singer) throw new UnauthorizedException('sign in first');
    const conductorOnly = this.reflector.getAllAndOverride<boolean>(CONDUCTOR_ONLY, [context.getHandler(), context.getClass()]);
    if (conductorOnly && singer.role !== 'conductor') throw new ForbiddenException('the conductor only');
    return true;
  }
}
