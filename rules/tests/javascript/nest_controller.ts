import { Body, Controller, Get, Param, Post, Query, Res } from "@nestjs/common";
import { exec } from "child_process";
import { Response } from "express";
import { DataSource } from "typeorm";

// NestJS handlers receive request values through parameter decorators.
@Controller("users")
export class UsersController {
  constructor(private readonly dataSource: DataSource) {}

  @Get("search")
  async search(@Query("name") name: string, limit: number) {
    // ruleid: sql-injection
    await this.dataSource.query(`SELECT * FROM users WHERE name = '${name}'`);
    // ok: sql-injection
    await this.dataSource.query("SELECT * FROM users WHERE name = $1", [name]);
    // ok: sql-injection
    return this.dataSource.query(`SELECT * FROM users LIMIT ${limit}`);
  }

  @Get(":id/avatar")
  avatar(@Param("id") id: string, @Res() res: Response) {
    // ruleid: path-traversal
    res.sendFile("/srv/avatars/" + id);
  }

  @Post("run")
  run(@Body() body: { task: string }) {
    // ruleid: command-injection
    exec("run-task " + body.task);
  }
}
