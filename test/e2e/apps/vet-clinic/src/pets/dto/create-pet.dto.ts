import { IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Max, Min } from 'class-validator';
import { SPECIES_NAMES } from '../../common/species';

export class CreatePetDto {
  @IsString()
  @IsNotEmpty()
  name: string;

  @IsIn(SPECIES_NAMES)
  species: string;

  @IsOptional()
  @IsInt()
  @Min(1980)
  @Max(2100)
  birthYear?: number;
}
