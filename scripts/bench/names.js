/** Name material for the benchmark's customers: a few hundred first names, thousands of last names. */
const FIRST_NAMES = `James Mary John Patricia Robert Jennifer Michael Linda William Elizabeth David Barbara Richard Susan Joseph Jessica
Thomas Sarah Charles Karen Christopher Nancy Daniel Lisa Matthew Betty Anthony Margaret Mark Sandra Donald Ashley Steven Kimberly
Paul Emily Andrew Donna Joshua Michelle Kenneth Dorothy Kevin Carol Brian Amanda George Melissa Edward Deborah Ronald Stephanie
Timothy Rebecca Jason Sharon Jeffrey Laura Ryan Cynthia Jacob Kathleen Gary Amy Nicholas Shirley Eric Angela Jonathan Helen Stephen
Anna Larry Brenda Justin Pamela Scott Nicole Brandon Emma Benjamin Samantha Samuel Katherine Gregory Christine Frank Debra Alexander
Rachel Raymond Catherine Patrick Carolyn Jack Janet Dennis Ruth Jerry Maria Tyler Heather Aaron Diane Jose Virginia Adam Julie Henry
Joyce Nathan Victoria Douglas Olivia Zachary Kelly Peter Christina Kyle Lauren Walter Joan Ethan Evelyn Jeremy Judith Harold Megan
Keith Cheryl Christian Andrea Roger Hannah Noah Martha Gerald Jacqueline Carl Frances Terry Gloria Sean Ann Austin Teresa Arthur
Kathryn Lawrence Sara Jesse Janice Dylan Jean Bryan Alice Joe Madison Jordan Doris Billy Abigail Bruce Julia Albert Judy Willie
Grace Gabriel Denise Logan Amber Alan Marilyn Juan Beverly Wayne Danielle Roy Theresa Ralph Sophia Randy Marie Eugene Diana Vincent
Brittany Russell Natalie Elijah Isabella Louis Charlotte Bobby Rose Philip Alexis Johnny Kayla Caterina Dolly Zoë Chloé Renée Björn
José Søren Łukasz Ana María Jürgen Günther Françoise Hélène Inés Ángel Sebastián Maëlle Agnès Léa Noémie Mühlberg Åsa Ørjan Jörg Malin
Sigríður Þóra Ægir Matthías Dagný Ilse Heike Uwe Kai Lars Sven Ingrid Astrid Henrik Nils Freja Ida Oskar Elsa Hugo Alma Liam Emil
Mateo Lucía Martina Valentina Santiago Sofía Camila Diego Carmen Pilar Rocío Álvaro Íñigo Nerea Aitor Iker Ainhoa Giulia Francesca
Lorenzo Matteo Chiara Alessandro Federico Beatrice Niccolò Aurélie Céline Étienne Thérèse Gaëlle Loïc Anaïs Raphaël Jérôme Zoé Yasmin
Fatima Omar Layla Amira Karim Hiroshi Yuki Aiko Kenji Mei Wei Jia Min Priya Arjun Ananya Rohan Ishaan Kavya Chidi Amara Kwame Ama`
  .split(/\s+/)
  .filter(Boolean)

const SURNAMES = `Smith Johnson Williams Brown Jones Garcia Miller Davis Rodriguez Martinez Hernandez Lopez Gonzalez Wilson Anderson
Thomas Taylor Moore Jackson Martin Lee Perez Thompson White Harris Sanchez Clark Ramirez Lewis Robinson Walker Young Allen King Wright
Scott Torres Nguyen Hill Flores Green Adams Nelson Baker Hall Rivera Campbell Mitchell Carter Roberts Yost Müller Müller-García García
Núñez Østergaard Kowalski O'Brien Lefèvre Jiménez Schröder Fernández Gómez Díaz Peña Muñoz Ibáñez Søndergaard Ångström Björklund Löfgren
Weiß Groß Krämer Jäger Köhler Schäfer Böhm Hoffmann Schmitz Dubois Lefebvre Mercier Bérenger Chévalier Łukaszewski Wiśniewski
Dąbrowski Zieliński Nowak Novák Dvořák Horváth Kovács Szabó Tóth Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino
Greco Bruno Gallo Conti Costa Giordano Rinaldi Lombardi Moretti Barbieri Fontana Santoro Mariani Rizzo Caruso Ferrara Silva Santos
Oliveira Souza Pereira Lima Carvalho Ferreira Almeida Ribeiro Rocha Dias Teixeira Tanaka Suzuki Takahashi Watanabe Ito Yamamoto
Nakamura Kobayashi Kato Yoshida Kim Park Choi Jung Kang Cho Yoon Jang Lim Singh Kumar Sharma Patel Gupta Khan Ali Hussain Ahmed
Okafor Mensah Boateng Adeyemi Eze Murphy Kelly Sullivan Walsh Byrne Ryan O'Connor McCarthy Doyle Fitzgerald`
  .split(/\s+/)
  .filter(Boolean)

const PREFIXES = `Ash Berg Black Bright Brook Burn Cald Carl Clay Cold Crane Dal Dun East Eld Fair Fal Fern Fox Gold Gray Green Hal Ham
Hart Hay Heath Hill Holl Horn Kings Lang Lind Lock Long Marsh Mead Mill Moor Neu North Oak Old Park Pen Pres Rad Red Ridge Ros Rush
Sand Shaw Sher Stan Stein Stock Stone Strat Sum Swan Thorn Tow Wald Wal War Wat Wes West Whit Wick Wild Win Wolf Wood Wor Wyn Ald Bar`
  .split(/\s+/)
  .filter(Boolean)
const SUFFIXES = `mann berg ford field ley ton worth wood well stead by ham hurst ridge wick land more dale brook man son sen stein feld
holt ing ert ard bach burg dorf hof heim mont ville court croft gate hall mead shaw thorpe ton vale ward wick win ey ler ner ter
son sworth ington bury combe cott den don ell ett ham more rick rup tree`
  .split(/\s+/)
  .filter(Boolean)

const LAST_NAMES = [...new Set([...SURNAMES, ...PREFIXES.flatMap((p) => SUFFIXES.map((s) => p + s))])]


module.exports = { FIRST_NAMES, LAST_NAMES }
