import { IsEmail, IsNotEmpty, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

export class RegisterDto {
  @IsEmail()
  email: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(80)
  name: string;

  @IsString()
  @MinLength(8)
  password: string;

  // Front-desk staff register with the code pinned up in the back office.
  @IsOptional()
  @IsString()
  staffCode?: string;
}
