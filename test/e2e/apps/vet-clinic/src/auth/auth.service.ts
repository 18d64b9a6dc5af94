import { ConflictException, HttpException, HttpStatus, Injectable, UnauthorizedException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { SessionUser } from '../common/session-user';
import { RegisterDto } from './dto/register.dto';
import { LoginAttemptsService } from './login-attempts.service';
import { hashPassword, verifyPassword } from './passwords';
import { User } from './user.entity';

export function toSessionUser(user: User): SessionUser {
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

@Injectable()
export class AuthService {
  private readonly staffCode: string;

  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly attempts: LoginAttemptsService,
    config: ConfigService,
  ) {
    this.staffCode = config.get<string>('STAFF_CODE', 'whiskers-at-the-door');
  }

  async register(dto: RegisterDto): Promise<SessionUser> {
    const email = dto.email.toLowerCase();
    const existing = await this.users.findOne({ where: { email } });
    if (existing) {
      throw new ConflictException('that email is registered already');
    }
    const user = this.users.create({
      email,
      name: dto.name,
      passwordHash: await hashPassword(dto.password),
      role: dto.staffCode && dto.staffCode === this.staffCode ? 'staff' : 'owner',
    });
    return toSessionUser(await this.users.save(user));
  }

  async validate(emailGiven: string, password: string): Promise<SessionUser> {
    const email = emailGiven.toLowerCase();
    if (this.attempts.isLocked(email)) {
      throw new HttpException('too many wrong passwords, try again in 15 minutes', HttpStatus.TOO_MANY_REQUESTS);
    }
    const user = await this.users.findOne({ where: { email } });
    if (!user || !(await verifyPassword(password, user.passwordHash))) {
      this.attempts.recordFailure(email);
      throw new UnauthorizedException('wrong email or password');
    }
    this.attempts.reset(email);
    return toSessionUser(user);
  }
}
