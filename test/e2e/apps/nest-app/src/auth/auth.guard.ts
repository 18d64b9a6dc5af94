import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { AuthService } from './auth.service';

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(private readonly auth: AuthService) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest();
    const [type, token] = (request.headers.authorization ?? '').split(' ');
    const user = type === 'Bearer' ? this.auth.validate(token) : undefined;
    if (!user) throw new UnauthorizedException();
    request.user = user;
    request.token = token;
    return true;
  }
}
