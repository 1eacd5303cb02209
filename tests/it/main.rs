mod compose_oracle;
