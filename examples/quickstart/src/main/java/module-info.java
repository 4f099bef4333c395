/** The quickstart: a supervised counter GenServer. */
module weft.examples.quickstart {
  requires weft.core;
}
