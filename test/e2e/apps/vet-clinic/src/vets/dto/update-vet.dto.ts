import { IsInt, IsOptional, IsString, Max, Min } from 'class-validator';

export class UpdateVetDto {
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100_000)
  feeCents?: number;

  @IsOptional()
  @IsString()
  specialty?: string;
}
